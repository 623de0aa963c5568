// flack-server as a process: start-up failures are one clear line and exit code 1, --help and
// --version exit 0, settings come from file < environment < command line, the cluster options
// start with a secret (never printed) and refuse to start without one, and SIGTERM/SIGINT
// close every websocket with 1001 and exit 0.

#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace flack::test;
using namespace Qt::StringLiterals;

namespace {

QProcessEnvironment cleanEnvironment()
{
    // Settings leaking in from the developer's shell would make precedence checks lie.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList keys = environment.keys();
    for (const QString &key : keys) {
        if (key.startsWith(u"FLACK_") && key != u"FLACK_SERVER")
            environment.remove(key);
    }
    return environment;
}

// A port nobody listens on right now (the kernel's choice, released again).
quint16 freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

} // namespace

class TestServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void portInUse();
    void badStartupIsOneLineAndExit1_data();
    void badStartupIsOneLineAndExit1();
    void helpAndVersion_data();
    void helpAndVersion();
    void settingsPrecedence_data();
    void settingsPrecedence();
    void configFileSettingTakesEffect();
    void clusterSecretNeverPrinted_data();
    void clusterSecretNeverPrinted();
    void clusterOptionsWithSecretStart_data();
    void clusterOptionsWithSecretStart();
    void adminTokenNeverPrinted_data();
    void adminTokenNeverPrinted();
    void signalClosesWebsocketsAndExits0_data();
    void signalClosesWebsocketsAndExits0();
    void aFailedStopLogsTheEndOfTheOutput();

private:
    QTemporaryDir m_dir;
};

void TestServerProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestServerProcess::portInUse()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(occupier.serverPort());
    ServerProcess server({QStringLiteral("--port"), port});
    server.setEnvironment(cleanEnvironment());
    QVERIFY(!server.start());
    QCOMPARE(server.waitForExit(), 1);
    const QString output = QString::fromUtf8(server.output()).trimmed();
    QVERIFY2(!output.contains(u'\n'), qPrintable(output)); // one line
    QVERIFY2(output.contains(port), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("in use"), Qt::CaseInsensitive), qPrintable(output));
}

void TestServerProcess::badStartupIsOneLineAndExit1_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions"); // the line must name the culprit

    const QString dir = m_dir.path();
    QTest::newRow("port not a number") << QStringList{u"--port"_s, u"abc"_s} << u"port"_s;
    QTest::newRow("port too large") << QStringList{u"--port"_s, u"70000"_s} << u"port"_s;
    QTest::newRow("negative idle timeout")
        << QStringList{u"--idle-timeout"_s, u"-1"_s} << u"idle-timeout"_s;
    QTest::newRow("max-message-bytes not a number")
        << QStringList{u"--max-message-bytes"_s, u"x"_s} << u"max-message-bytes"_s;
    QTest::newRow("max-connections zero")
        << QStringList{u"--max-connections"_s, u"0"_s} << u"max-connections"_s;
    QTest::newRow("bad bind address") << QStringList{u"--bind"_s, u"not.an.address"_s} << u"bind"_s;
    QTest::newRow("bad log level") << QStringList{u"--log-level"_s, u"loud"_s} << u"log-level"_s;
    QTest::newRow("bad event loop")
        << QStringList{u"--event-loop"_s, u"select"_s} << u"event-loop"_s;
    QTest::newRow("web root missing")
        << QStringList{u"--web-root"_s, dir + u"/nope"_s} << u"web-root"_s;
    QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << u"frobnicate"_s;
    QTest::newRow("missing value") << QStringList{u"--port"_s} << u"port"_s;
    QTest::newRow("positional argument") << QStringList{u"extra"_s} << u"extra"_s;
    QTest::newRow("config file missing")
        << QStringList{u"--config"_s, dir + u"/missing.ini"_s} << u"missing.ini"_s;
    QTest::newRow("config is a directory") << QStringList{u"--config"_s, dir} << dir;
    QTest::newRow("cluster-listen without secret")
        << QStringList{u"--cluster-listen"_s, u"127.0.0.1:0"_s} << u"secret"_s;
    QTest::newRow("peers without cluster-listen")
        << QStringList{u"--peers"_s, u"127.0.0.1:9"_s} << u"--cluster-listen"_s;
    QTest::newRow("bad peer") << QStringList{u"--peers"_s, u"127.0.0.1:0"_s} << u"peers"_s;
    QTest::newRow("secret file missing")
        << QStringList{u"--cluster-listen"_s, u"127.0.0.1:0"_s, u"--cluster-secret-file"_s,
                       dir + u"/no-secret"_s}
        << u"no-secret"_s;
}

void TestServerProcess::badStartupIsOneLineAndExit1()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    ServerProcess server(arguments);
    server.setEnvironment(cleanEnvironment());
    QVERIFY(!server.start());
    QCOMPARE(server.waitForExit(), 1);
    const QString output = QString::fromUtf8(server.output()).trimmed();
    QVERIFY2(!output.isEmpty(), "no message");
    QVERIFY2(!output.contains(u'\n'), qPrintable(output));
    QVERIFY2(output.contains(mentions), qPrintable(output));
    QVERIFY2(!output.contains(u"serving"), qPrintable(output));
}

void TestServerProcess::helpAndVersion_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("--help") << u"--help"_s << u"--idle-timeout"_s;
    QTest::newRow("-h") << u"-h"_s << u"--max-message-bytes"_s;
    QTest::newRow("--version") << u"--version"_s << u"flack-server"_s;
}

void TestServerProcess::helpAndVersion()
{
    QFETCH(QString, option);
    QFETCH(QString, mentions);
    ServerProcess server({option});
    server.setDefaultArguments(false);
    server.setEnvironment(cleanEnvironment());
    QVERIFY(!server.start()); // it prints and exits instead of serving
    QCOMPARE(server.waitForExit(), 0);
    const QString output = QString::fromUtf8(server.output());
    QVERIFY2(output.contains(mentions), qPrintable(output));
}

void TestServerProcess::settingsPrecedence_data()
{
    QTest::addColumn<bool>("inFile");
    QTest::addColumn<bool>("inEnvironment");
    QTest::addColumn<bool>("onCommandLine");
    QTest::addColumn<int>("winner"); // 0 file, 1 environment, 2 command line
    QTest::newRow("file only") << true << false << false << 0;
    QTest::newRow("environment beats file") << true << true << false << 1;
    QTest::newRow("command line beats both") << true << true << true << 2;
    QTest::newRow("command line beats environment") << false << true << true << 2;
}

void TestServerProcess::settingsPrecedence()
{
    QFETCH(bool, inFile);
    QFETCH(bool, inEnvironment);
    QFETCH(bool, onCommandLine);
    QFETCH(int, winner);
    // The port is the setting the start-up line shows, so it is where precedence is visible.
    const quint16 ports[3] = {freePort(), freePort(), freePort()};
    QVERIFY(ports[0] && ports[1] && ports[2]);

    QStringList arguments{u"--bind"_s, u"127.0.0.1"_s};
    QProcessEnvironment environment = cleanEnvironment();
    if (inFile) {
        const QString path = m_dir.filePath(u"precedence.ini"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("[server]\nport=" + QByteArray::number(ports[0]) + "\nlog-level=warning\n");
        file.close();
        arguments += {u"--config"_s, path};
    }
    if (inEnvironment)
        environment.insert(u"FLACK_PORT"_s, QString::number(ports[1]));
    if (onCommandLine)
        arguments += {u"--port"_s, QString::number(ports[2])};
    ServerProcess server(arguments);
    server.setDefaultArguments(false);
    server.setEnvironment(environment);
    QVERIFY2(server.start(), server.output().constData());
    QCOMPARE(server.port(), ports[winner]);
    // And it really listens there.
    WsTestClient client;
    QVERIFY(client.open(server.chatUrl()));
    QVERIFY(!client.login(u"p"_s).isEmpty());
    QCOMPARE(server.terminate(), 0);
}

void TestServerProcess::configFileSettingTakesEffect()
{
    // A behavioural setting from the file (top-level key this time), observed in behaviour: a
    // 1-second idle timeout closes a silent client. The environment overrides the file's
    // max-name-bytes, observed as the accepted name length.
    const QString path = m_dir.filePath(u"behaviour.ini"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("idle-timeout=1\nmax-name-bytes=4\n");
    file.close();
    QProcessEnvironment environment = cleanEnvironment();
    environment.insert(u"FLACK_MAX_NAME_BYTES"_s, u"8"_s);
    ServerProcess server({u"--config"_s, path});
    server.setEnvironment(environment);
    QVERIFY2(server.start(), server.output().constData());
    WsTestClient client;
    QVERIFY(client.open(server.chatUrl()));
    QVERIFY(!client.login(u"eight888"_s).isEmpty()); // 8 bytes: the environment's limit
    QVERIFY(client.waitForDisconnected(6000));       // the file's idle timeout
    WsTestClient tooLong;
    QVERIFY(tooLong.open(server.chatUrl()));
    QVERIFY(tooLong.login(u"nine99999"_s).isEmpty());
    QCOMPARE(server.terminate(), 0);
}

void TestServerProcess::clusterSecretNeverPrinted_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("environmentSecret");
    const QString secret = u"integration-s3cr3t-value"_s;
    QTest::newRow("on the command line")
        << QStringList{u"--cluster-listen"_s, u"127.0.0.1:0"_s, u"--cluster-secret"_s, secret}
        << QString();
    QTest::newRow("too short in the environment")
        << QStringList{u"--cluster-listen"_s, u"127.0.0.1:0"_s} << u"short-s3cr3t"_s;
    QTest::newRow("fine, but another option is bad")
        << QStringList{u"--cluster-listen"_s, u"127.0.0.1:0"_s, u"--peers"_s, u"x:y"_s} << secret;
}

void TestServerProcess::clusterSecretNeverPrinted()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environmentSecret);
    QProcessEnvironment environment = cleanEnvironment();
    if (!environmentSecret.isEmpty())
        environment.insert(u"FLACK_CLUSTER_SECRET"_s, environmentSecret);
    ServerProcess server(arguments);
    server.setEnvironment(environment);
    QVERIFY(!server.start());
    QCOMPARE(server.waitForExit(), 1);
    const QString output = QString::fromUtf8(server.output()).trimmed();
    QVERIFY2(!output.isEmpty(), "no message");
    QVERIFY2(!output.contains(u'\n'), qPrintable(output));
    QVERIFY2(!output.contains(u"s3cr3t"_s), qPrintable(output));
}

void TestServerProcess::clusterOptionsWithSecretStart_data()
{
    QTest::addColumn<bool>("secretInFile");
    QTest::newRow("secret file") << true;
    QTest::newRow("secret in the environment") << false;
}

void TestServerProcess::clusterOptionsWithSecretStart()
{
    // The cluster options are accepted; the node serves clients as before (and, until there
    // is a cluster layer, alone), and the secret shows nowhere in its output.
    QFETCH(bool, secretInFile);
    const QByteArray secret = "integration-s3cr3t-in-a-file";
    QProcessEnvironment environment = cleanEnvironment();
    QStringList arguments{u"--node-name"_s,       u"node1"_s,   u"--cluster-listen"_s,
                          u"127.0.0.1:0"_s,       u"--peers"_s, u"127.0.0.1:9,localhost:10"_s,
                          u"--peer-timeout-ms"_s, u"500"_s};
    if (secretInFile) {
        const QString path = m_dir.filePath(u"cluster.secret"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(secret + '\n');
        file.close();
        QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        arguments += {u"--cluster-secret-file"_s, path};
    } else {
        environment.insert(u"FLACK_CLUSTER_SECRET"_s, QString::fromLatin1(secret));
    }
    ServerProcess server(arguments);
    server.setEnvironment(environment);
    QVERIFY2(server.start(), server.output().constData());
    WsTestClient client;
    QVERIFY(client.open(server.chatUrl()));
    QVERIFY(!client.login(u"clustered"_s).isEmpty());
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(!server.output().contains("s3cr3t"), server.output().constData());
}

void TestServerProcess::adminTokenNeverPrinted_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("environmentToken");
    QTest::addColumn<bool>("starts");
    const QString token = u"integration-t0ken-value"_s;
    QTest::newRow("on the command line")
        << QStringList{u"--admin-token"_s, token} << QString() << false;
    QTest::newRow("too short in the environment") << QStringList{} << u"short-t0ken"_s << false;
    QTest::newRow("fine, but another option is bad")
        << QStringList{u"--port"_s, u"x"_s} << token << false;
    QTest::newRow("fine, logging at debug level")
        << QStringList{u"--log-level"_s, u"debug"_s} << token << true;
}

void TestServerProcess::adminTokenNeverPrinted()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environmentToken);
    QFETCH(bool, starts);
    QProcessEnvironment environment = cleanEnvironment();
    if (!environmentToken.isEmpty())
        environment.insert(u"FLACK_ADMIN_TOKEN"_s, environmentToken);
    ServerProcess server(arguments);
    server.setEnvironment(environment);
    if (starts) {
        QVERIFY2(server.start(), server.output().constData());
        WsTestClient client;
        QVERIFY(client.open(server.chatUrl()));
        QVERIFY(!client.login(u"watched"_s).isEmpty());
        QCOMPARE(server.terminate(), 0);
    } else {
        QVERIFY(!server.start());
        QCOMPARE(server.waitForExit(), 1);
        const QString output = QString::fromUtf8(server.output()).trimmed();
        QVERIFY2(!output.isEmpty(), "no message");
        QVERIFY2(!output.contains(u'\n'), qPrintable(output));
    }
    QVERIFY2(!server.output().contains("t0ken"), server.output().constData());
}

void TestServerProcess::signalClosesWebsocketsAndExits0_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QStringList>("arguments");
    // Both event loops: the default (epoll on Linux) and Qt's own.
    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringList();
    QTest::newRow("SIGINT") << int(SIGINT) << QStringList();
    QTest::newRow("SIGTERM, Qt's event loop")
        << int(SIGTERM) << QStringList{u"--event-loop"_s, u"qt"_s};
}

void TestServerProcess::signalClosesWebsocketsAndExits0()
{
    QFETCH(int, signalNumber);
    QFETCH(QStringList, arguments);
    ServerProcess server(arguments);
    server.setEnvironment(cleanEnvironment());
    QVERIFY2(server.start(), server.output().constData());
    std::vector<std::unique_ptr<WsTestClient>> clients;
    for (int i = 0; i < 5; ++i) {
        auto client = std::make_unique<WsTestClient>();
        QVERIFY(client->open(server.chatUrl()));
        if (i > 0) { // one client stays in the handshake-only state
            QVERIFY(!client->login(QStringLiteral("u%1").arg(i)).isEmpty());
            client->join(u"shutdown"_s);
        }
        clients.push_back(std::move(client));
    }
    QSignalSpy finished(&server.process(), &QProcess::finished);
    // The test keeps its event loop running so the clients can answer the close handshake.
    QCOMPARE(::kill(pid_t(server.process().processId()), signalNumber), 0);
    for (const auto &client : clients) {
        QVERIFY(client->waitForDisconnected(10000));
        QCOMPARE(client->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    // The server should not be talking about crashes or leaks on the way out.
    const QByteArray output = server.output();
    QVERIFY2(!output.contains("ERROR: AddressSanitizer") && !output.contains("runtime error"),
             output.constData());
}

// A server that doesn't exit 0 at SIGTERM fails its test, and the end of what it printed (where
// a sanitizer's report at exit is) goes to the test's log. A launcher plays such a server here:
// it stops the real one, prints a last line and exits 3.
void TestServerProcess::aFailedStopLogsTheEndOfTheOutput()
{
    ServerProcess server;
    server.setEnvironment(cleanEnvironment());
    server.setLauncher({u"sh"_s, u"-c"_s,
                        u"\"$@\" & child=$!; "
                        "trap 'kill $child; wait $child; echo report-at-exit; exit 3' TERM; "
                        "wait $child"_s,
                        u"sh"_s});
    QVERIFY2(server.start(), server.output().constData());
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"ended with 3 after SIGTERM.*report-at-exit"_s,
                                            QRegularExpression::DotMatchesEverythingOption));
    QCOMPARE(server.terminate(), 3);
}

QTEST_GUILESS_MAIN(TestServerProcess)
#include "tst_serverprocess.moc"
