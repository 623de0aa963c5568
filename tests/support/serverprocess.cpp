#include "tests/support/serverprocess.h"

#include <QDeadlineTimer>
#include <QRegularExpression>

namespace flack::test {

ServerProcess::ServerProcess(QStringList extraArguments) : m_arguments(std::move(extraArguments))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerProcess::binaryPath()
{
    const QByteArray fromEnv = qgetenv("FLACK_SERVER");
    if (!fromEnv.isEmpty())
        return QString::fromLocal8Bit(fromEnv);
    return QStringLiteral(FLACK_SERVER_BINARY);
}

bool ServerProcess::start(int timeoutMs)
{
    QStringList arguments;
    if (m_defaultArguments)
        arguments = {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--bind"),
                     m_host};
    arguments += m_arguments;
    if (m_launcher.isEmpty())
        m_process.start(binaryPath(), arguments);
    else
        m_process.start(m_launcher.first(),
                        m_launcher.mid(1) + QStringList{binaryPath()} + arguments);
    if (!m_process.waitForStarted(timeoutMs))
        return false;
    // The start-up line names the URL served: "... http://127.0.0.1:PORT/ ..." (https:// with
    // --tls-cert).
    static const QRegularExpression urlPattern(QStringLiteral("http(s?)://[^\\s/]+:(\\d+)/"));
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QRegularExpressionMatch match = urlPattern.match(QString::fromUtf8(output()));
        if (match.hasMatch()) {
            m_secure = !match.captured(1).isEmpty();
            m_port = quint16(match.captured(2).toUInt());
            return true;
        }
        if (m_process.state() == QProcess::NotRunning)
            return false;
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return false;
}

int ServerProcess::terminate(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    m_process.terminate();
    int code = -1;
    if (m_process.waitForFinished(timeoutMs)) {
        if (m_process.exitStatus() == QProcess::NormalExit)
            code = m_process.exitCode();
    } else {
        m_process.kill();
        m_process.waitForFinished(timeoutMs);
    }
    if (code != 0) {
        // The end is where a report at exit is; bounded, so a chatty server can't flood the log.
        constexpr qsizetype kTailBytes = 16 * 1024;
        qWarning("flack-server ended with %d after SIGTERM; the end of its output:\n%s", code,
                 output().right(kTailBytes).constData());
    }
    return code;
}

int ServerProcess::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning && !m_process.waitForFinished(timeoutMs))
        return -1;
    output();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QUrl ServerProcess::chatUrl() const
{
    return QUrl(QStringLiteral("%1://%2:%3/chat-server")
                    .arg(m_secure ? u"wss" : u"ws", m_host)
                    .arg(m_port));
}

QUrl ServerProcess::httpUrl(const QString &path) const
{
    return QUrl(QStringLiteral("%1://%2:%3%4")
                    .arg(m_secure ? u"https" : u"http", m_host)
                    .arg(m_port)
                    .arg(path));
}

QByteArray ServerProcess::output()
{
    m_output += m_process.readAll();
    return m_output;
}

} // namespace flack::test
