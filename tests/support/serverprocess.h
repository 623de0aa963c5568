#pragma once
// Starts the real flack-server binary on a free loopback port for integration tests and stops
// it again. The server is told --port 0 and reports the port it bound in its start-up line.
// A launcher (such as `ip netns exec NS`) may run it elsewhere, on an address of its own.

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace flack::test {

class ServerProcess
{
public:
    explicit ServerProcess(QStringList extraArguments = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Starts the server and waits (bounded) for its start-up line. False with the output in
    // output() when it did not come up.
    bool start(int timeoutMs = 15000);

    // Without the default "--port 0 --bind 127.0.0.1" (to observe where a port setting comes
    // from); the extra arguments then are the whole command line.
    void setDefaultArguments(bool enabled) { m_defaultArguments = enabled; }
    // The address the default arguments bind and the URLs name (127.0.0.1 when never set).
    void setBindAddress(const QString &address) { m_host = address; }
    // A command that runs the server: started as the launcher's program, its arguments, then
    // the server binary and the server's arguments. The launcher must exec the server, so that
    // the process signalled by terminate() and kill() is the server itself.
    void setLauncher(const QStringList &command) { m_launcher = command; }
    // Environment for the server process; the test process's own when never set.
    void setEnvironment(const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
    }
    // Waits (bounded) for a process that is expected to exit by itself; its exit code, or -1
    // when it crashed or did not exit in time.
    int waitForExit(int timeoutMs = 15000);

    // Sends SIGTERM and waits for exit; returns the exit code, or -1 if it had to be killed.
    // Anything but 0 is a failure the test reports, so the end of the server's output (a
    // sanitizer's report, say) goes to the test's log then.
    int terminate(int timeoutMs = 15000);

    quint16 port() const { return m_port; }
    // Whether the server said it serves TLS (--tls-cert): the URLs are wss:// and https:// then.
    bool secure() const { return m_secure; }
    QUrl chatUrl() const;
    QUrl httpUrl(const QString &path = QStringLiteral("/")) const;
    QProcess &process() { return m_process; }
    // Everything the server printed so far (stdout and stderr merged).
    QByteArray output();

    // Path of the flack-server binary under test (the build's, or $FLACK_SERVER).
    static QString binaryPath();

private:
    QStringList m_arguments;
    QStringList m_launcher;
    QString m_host = QStringLiteral("127.0.0.1");
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    bool m_secure = false;
    bool m_defaultArguments = true;
};

} // namespace flack::test
