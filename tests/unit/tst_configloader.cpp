// ConfigLoader: defaults, each source, precedence (command line > environment > file >
// default), and a clear one-line error for every kind of bad input. The secrets (the cluster
// secret, the admin token) come only from a file or the environment and never show in an error.

#include "server/app/configloader.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::app::ConfigLoader;
using flack::server::app::ConfigResult;
using flack::server::app::ServerConfig;

namespace {

// A valid secret (16 bytes or more) that a test can look for in error texts.
const QByteArray kSecret = "s3cr3t-VALUE-never-shown";
const QString kSecretText = QString::fromLatin1(kSecret);
// A valid admin token, unlike the secret.
const QByteArray kToken = "adm1n-T0KEN-never-shown";
const QString kTokenText = QString::fromLatin1(kToken);

QStringList peerList(const ServerConfig &config)
{
    QStringList peers;
    for (const ServerConfig::PeerAddress &peer : config.peers)
        peers.append(u"%1|%2"_s.arg(peer.host).arg(peer.port));
    return peers;
}

} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

    static ConfigResult load(QStringList arguments, const QStringList &environment = {})
    {
        arguments.prepend(u"flack-server"_s);
        QProcessEnvironment env;
        for (const QString &entry : environment)
            env.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
        return ConfigLoader::load(arguments, env);
    }

    QString writeFile(const QByteArray &content, const QString &suffix = u"ini"_s)
    {
        const QString path = m_dir.filePath(u"flack%1.%2"_s.arg(++m_files).arg(suffix));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write test config");
        file.write(content);
        return path;
    }

    QTemporaryDir m_dir;
    int m_files = 0;

private Q_SLOTS:
    void defaults()
    {
        const ConfigResult result = load({});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(8080));
        QCOMPARE(result.config.idleTimeoutSeconds, 60);
        QCOMPARE(result.config.maxMessageBytes, 65536);
        QCOMPARE(result.config.maxConnections, 10000);
        QCOMPARE(result.config.maxNameBytes, 256);
        QCOMPARE(result.config.maxChatsPerConnection, 1000);
        QCOMPARE(result.config.maxRooms, 100000);
        QVERIFY(result.config.webRoot.isEmpty());
        QCOMPARE(result.config.bindAddress, QHostAddress(QHostAddress::Any));
        // Alone unless told otherwise.
        QVERIFY(!result.config.clustered());
        QVERIFY(result.config.nodeName.isEmpty());
        QVERIFY(!result.config.clusterListenSet);
        QVERIFY(result.config.peers.isEmpty());
        QVERIFY(result.config.clusterSecret.isEmpty());
        QCOMPARE(result.config.peerTimeoutMs, 3000);
        QVERIFY(result.config.adminToken.isEmpty()); // the admin endpoint is closed
        QCOMPARE(result.config.eventDispatcher, ServerConfig::kDefaultEventDispatcher);
#if defined(Q_OS_LINUX)
        QCOMPARE(result.config.eventDispatcher, ServerConfig::EventDispatcher::Epoll);
#endif
    }

    void eventLoopValues()
    {
        ConfigResult result = load({u"--event-loop"_s, u"qt"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.eventDispatcher, ServerConfig::EventDispatcher::Qt);
        result = load({u"--event-loop"_s, u" Qt "_s});
        QCOMPARE(result.config.eventDispatcher, ServerConfig::EventDispatcher::Qt);
#if defined(Q_OS_LINUX)
        result = load({u"--event-loop"_s, u"epoll"_s}, {u"FLACK_EVENT_LOOP=qt"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.eventDispatcher, ServerConfig::EventDispatcher::Epoll);
#endif
    }

    void commandLineValues()
    {
        const ConfigResult result = load(
            {u"--port"_s, u"9000"_s, u"--bind"_s, u"127.0.0.1"_s, u"--idle-timeout"_s, u"2"_s,
             u"--max-message-bytes"_s, u"1024"_s, u"--max-connections"_s, u"5"_s, u"--log-level"_s,
             u"warning"_s, u"--web-root"_s, m_dir.path(), u"--max-rooms"_s, u"7"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(9000));
        QCOMPARE(result.config.bindAddress, QHostAddress(u"127.0.0.1"_s));
        QCOMPARE(result.config.idleTimeoutSeconds, 2);
        QCOMPARE(result.config.maxMessageBytes, 1024);
        QCOMPARE(result.config.maxConnections, 5);
        QCOMPARE(result.config.logLevel, u"warning"_s);
        QCOMPARE(result.config.maxRooms, 7);
        QCOMPARE(result.config.webRoot, QDir(m_dir.path()).absolutePath());
    }

    void precedence()
    {
        const QString file = writeFile("port=1111\nidle-timeout=11\nmax-connections=111\n");
        // File only.
        ConfigResult result = load({u"--config"_s, file});
        QCOMPARE(result.config.port, quint16(1111));
        QCOMPARE(result.config.idleTimeoutSeconds, 11);
        // Environment beats file.
        result = load({u"--config"_s, file}, {u"FLACK_PORT=2222"_s, u"FLACK_IDLE_TIMEOUT=22"_s});
        QCOMPARE(result.config.port, quint16(2222));
        QCOMPARE(result.config.idleTimeoutSeconds, 22);
        QCOMPARE(result.config.maxConnections, 111);
        // Command line beats both.
        result = load({u"--config"_s, file, u"--port"_s, u"3333"_s}, {u"FLACK_PORT=2222"_s});
        QCOMPARE(result.config.port, quint16(3333));
        // The config file may also come from the environment.
        result = load({}, {u"FLACK_CONFIG="_s + file});
        QCOMPARE(result.config.port, quint16(1111));
    }

    void rateLimitsAndSignedIds()
    {
        ConfigResult result = load({});
        QCOMPARE(result.config.maxMessagesPerSecond, 20);
        QCOMPARE(result.config.messageBurst, 60);
        QVERIFY(!result.config.signedUserIds);
        result = load({u"--max-messages-per-second"_s, u"0"_s, u"--message-burst"_s, u"5"_s,
                       u"--signed-user-ids"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.maxMessagesPerSecond, 0);
        QCOMPARE(result.config.messageBurst, 5);
        QVERIFY(result.config.signedUserIds);
        // A switch takes a word in the environment and the file; the command line still wins.
        result = load({}, {u"FLACK_SIGNED_USER_IDS=yes"_s});
        QVERIFY(result.config.signedUserIds);
        const QString file = writeFile("signed-user-ids=off\n");
        result = load({u"--config"_s, file});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QVERIFY(!result.config.signedUserIds);
        result = load({u"--config"_s, file, u"--signed-user-ids"_s});
        QVERIFY(result.config.signedUserIds);
        result = load({}, {u"FLACK_SIGNED_USER_IDS=maybe"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"expected true or false"_s), qPrintable(result.text));
        result = load({u"--message-burst"_s, u"0"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        result = load({u"--max-messages-per-second"_s, u"-1"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
    }

    void serverSectionInFile()
    {
        const QString file = writeFile("[server]\nport=4444\n");
        const ConfigResult result = load({u"--config"_s, file});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(4444));
    }

    void helpAndVersion()
    {
        ConfigResult result = load({u"--help"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::ShowText);
        QVERIFY(result.text.contains(u"--max-connections"_s));
        QVERIFY(result.text.contains(u"FLACK_"_s));
        for (const QString &option :
             {u"--node-name"_s, u"--cluster-listen"_s, u"--peers"_s, u"--cluster-secret-file"_s,
              u"--peer-timeout-ms"_s, u"FLACK_CLUSTER_SECRET"_s})
            QVERIFY2(result.text.contains(option), qPrintable(option));
        // No option takes the secret itself.
        QVERIFY(!result.text.contains(QRegularExpression(u"--cluster-secret(?!-file)"_s)));
        QVERIFY(result.text.contains(u"--admin-token-file <FILE>"_s));
        QVERIFY(!result.text.contains(QRegularExpression(u"--admin-token(?!-file)"_s)));
        QVERIFY2(result.text.simplified().contains(
                     u"Enables the /admin endpoint (flack-admin) with the token read from this "
                     "file (at least 16 bytes). Or set the token in FLACK_ADMIN_TOKEN. Without "
                     "one, /admin answers 403."_s),
                 qPrintable(result.text));
        result = load({u"--version"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::ShowText);
        QVERIFY(result.text.startsWith(u"flack-server "_s));
    }

    void clusterOptions()
    {
        const QString secret = writeFile(kSecret + "\n", u"secret"_s);
        const ConfigResult result =
            load({u"--node-name"_s, u"node1"_s, u"--cluster-listen"_s, u"127.0.0.1:9081"_s,
                  u"--peers"_s, u"127.0.0.1:9082,localhost:9083"_s, u"--cluster-secret-file"_s,
                  secret, u"--peer-timeout-ms"_s, u"500"_s});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        const ServerConfig &config = result.config;
        QVERIFY(config.clustered());
        QCOMPARE(config.nodeName, u"node1"_s);
        QVERIFY(config.clusterListenSet);
        QCOMPARE(config.clusterListenHost, u"127.0.0.1"_s);
        QCOMPARE(config.clusterListenPort, quint16(9081));
        QCOMPARE(peerList(config), QStringList({u"127.0.0.1|9082"_s, u"localhost|9083"_s}));
        QCOMPARE(config.clusterSecret, kSecret); // trailing newline dropped
        QCOMPARE(config.peerTimeoutMs, 500);
    }

    void clusterListenValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::newRow("IPv4") << u"10.0.0.5:9090"_s << u"10.0.0.5"_s << 9090;
        QTest::newRow("any IPv4") << u"0.0.0.0:1"_s << u"0.0.0.0"_s << 1;
        QTest::newRow("IPv6") << u"[::1]:9090"_s << u"::1"_s << 9090;
        QTest::newRow("IPv6 any") << u"[::]:65535"_s << u"::"_s << 65535;
        QTest::newRow("host name") << u"localhost:9090"_s << u"localhost"_s << 9090;
        QTest::newRow("dotted name")
            << u"node-2.flack.example:7000"_s << u"node-2.flack.example"_s << 7000;
        QTest::newRow("port 0 picks one") << u"127.0.0.1:0"_s << u"127.0.0.1"_s << 0;
        QTest::newRow("spaces trimmed") << u" 127.0.0.1:9090 "_s << u"127.0.0.1"_s << 9090;
    }

    void clusterListenValues()
    {
        QFETCH(QString, value);
        QFETCH(QString, host);
        QFETCH(int, port);
        const ConfigResult result =
            load({u"--cluster-listen"_s, value}, {u"FLACK_CLUSTER_SECRET="_s + kSecretText});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QVERIFY(result.config.clusterListenSet);
        QVERIFY(result.config.clustered());
        QCOMPARE(result.config.clusterListenHost, host);
        QCOMPARE(int(result.config.clusterListenPort), port);
        QVERIFY(result.config.peers.isEmpty()); // a first node may have no one to dial
    }

    void peersValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("peers");
        QTest::newRow("one") << u"10.0.0.6:9090"_s << QStringList{u"10.0.0.6|9090"_s};
        QTest::newRow("mixed") << u"10.0.0.6:9090,[fd00::7]:9091,node3.example:1"_s
                               << QStringList{u"10.0.0.6|9090"_s, u"fd00::7|9091"_s,
                                              u"node3.example|1"_s};
        QTest::newRow("spaces around entries")
            << u" a:1 , b:2 "_s << QStringList{u"a|1"_s, u"b|2"_s};
        QStringList many;
        QStringList expected;
        for (int i = 1; i <= 64; ++i) {
            many.append(u"10.0.1.%1:9090"_s.arg(i));
            expected.append(u"10.0.1.%1|9090"_s.arg(i));
        }
        QTest::newRow("64 peers") << many.join(u',') << expected;
    }

    void peersValues()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, peers);
        const ConfigResult result =
            load({u"--cluster-listen"_s, u"127.0.0.1:9081"_s, u"--peers"_s, value},
                 {u"FLACK_CLUSTER_SECRET="_s + kSecretText});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(peerList(result.config), peers);
    }

    void nodeNameValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << u"node1"_s;
        QTest::newRow("host and port") << u"10.0.0.5:8080"_s;
        QTest::newRow("non-ASCII") << u"n\u0153ud-\u00e9t\u00e9"_s;
        QTest::newRow("255 bytes") << QString(255, u'n');
    }

    void nodeNameValues()
    {
        QFETCH(QString, value);
        const ConfigResult result = load({u"--node-name"_s, value});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.nodeName, value);
        QVERIFY(!result.config.clustered()); // a name alone does not make a cluster
    }

    void clusterPrecedence()
    {
        const QString secretA = writeFile("secret-from-the-ini-file-A\n", u"secret"_s);
        const QString secretC = writeFile("secret-from-environment-file-C", u"secret"_s);
        const QString secretD = writeFile("secret-from-command-line-file-D\r\n", u"secret"_s);
        const QString ini = writeFile("[server]\nnode-name=from-file\ncluster-listen=127.0.0.1:1\n"
                                      "peers=a.example:1, b.example:2\npeer-timeout-ms=1000\n"
                                      "cluster-secret-file=" +
                                      secretA.toUtf8() + "\n");
        // File only; an unquoted comma list in the INI file is one value.
        ConfigResult result = load({u"--config"_s, ini});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.nodeName, u"from-file"_s);
        QCOMPARE(result.config.clusterListenPort, quint16(1));
        QCOMPARE(peerList(result.config), QStringList({u"a.example|1"_s, u"b.example|2"_s}));
        QCOMPARE(result.config.peerTimeoutMs, 1000);
        QCOMPARE(result.config.clusterSecret, QByteArray("secret-from-the-ini-file-A"));
        // Environment beats file, for the secret given itself or as a file.
        result = load({u"--config"_s, ini},
                      {u"FLACK_NODE_NAME=from-env"_s, u"FLACK_CLUSTER_LISTEN=127.0.0.1:2"_s,
                       u"FLACK_PEERS=c.example:3"_s, u"FLACK_PEER_TIMEOUT_MS=2000"_s,
                       u"FLACK_CLUSTER_SECRET=secret-from-the-environment-B"_s});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.nodeName, u"from-env"_s);
        QCOMPARE(result.config.clusterListenPort, quint16(2));
        QCOMPARE(peerList(result.config), QStringList({u"c.example|3"_s}));
        QCOMPARE(result.config.peerTimeoutMs, 2000);
        QCOMPARE(result.config.clusterSecret, QByteArray("secret-from-the-environment-B"));
        result = load({u"--config"_s, ini}, {u"FLACK_CLUSTER_SECRET_FILE="_s + secretC});
        QCOMPARE(result.config.clusterSecret, QByteArray("secret-from-environment-file-C"));
        // Command line beats both.
        result = load({u"--config"_s, ini, u"--node-name"_s, u"from-cli"_s, u"--cluster-listen"_s,
                       u"[::1]:3"_s, u"--peers"_s, u"d.example:4"_s, u"--peer-timeout-ms"_s,
                       u"3000"_s, u"--cluster-secret-file"_s, secretD},
                      {u"FLACK_NODE_NAME=from-env"_s, u"FLACK_PEERS=c.example:3"_s,
                       u"FLACK_CLUSTER_SECRET=secret-from-the-environment-B"_s});
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.nodeName, u"from-cli"_s);
        QCOMPARE(result.config.clusterListenHost, u"::1"_s);
        QCOMPARE(result.config.clusterListenPort, quint16(3));
        QCOMPARE(peerList(result.config), QStringList({u"d.example|4"_s}));
        QCOMPARE(result.config.peerTimeoutMs, 3000);
        QCOMPARE(result.config.clusterSecret, QByteArray("secret-from-command-line-file-D"));
    }

    void adminToken_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QByteArray>("token");

        const QString file = writeFile(kToken + "\n", u"token"_s);
        const QString crlfFile = writeFile("admin-token-with-crlf\r\n", u"token"_s);
        const QString bareFile = writeFile("admin-token-no-newline", u"token"_s);
        const QString iniFile = writeFile("admin-token-from-the-ini-A\n", u"token"_s);
        const QString envFile = writeFile("admin-token-from-env-file-C\n", u"token"_s);
        const QString top = writeFile("admin-token-file=" + iniFile.toUtf8() + "\n");
        const QString section = writeFile("[server]\nadmin-token-file=" + iniFile.toUtf8() + "\n");
        const QStringList none;

        QTest::newRow("file, trailing newline trimmed")
            << QStringList{u"--admin-token-file"_s, file} << none << kToken;
        QTest::newRow("file, CRLF trimmed") << QStringList{u"--admin-token-file"_s, crlfFile}
                                            << none << QByteArray("admin-token-with-crlf");
        QTest::newRow("file without newline") << QStringList{u"--admin-token-file="_s + bareFile}
                                              << none << QByteArray("admin-token-no-newline");
        QTest::newRow("environment")
            << none << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText} << kToken;
        QTest::newRow("environment, trailing newline trimmed")
            << none << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText + u"\n"_s} << kToken;
        QTest::newRow("file from environment")
            << none << QStringList{u"FLACK_ADMIN_TOKEN_FILE="_s + envFile}
            << QByteArray("admin-token-from-env-file-C");
        QTest::newRow("file from the INI file")
            << QStringList{u"--config"_s, top} << none << QByteArray("admin-token-from-the-ini-A");
        QTest::newRow("file from the INI file's section")
            << QStringList{u"--config"_s, section} << none
            << QByteArray("admin-token-from-the-ini-A");
        // Precedence as for every setting: command line > environment > file.
        QTest::newRow("environment beats the INI file")
            << QStringList{u"--config"_s, section}
            << QStringList{u"FLACK_ADMIN_TOKEN=admin-token-from-the-env-B"_s}
            << QByteArray("admin-token-from-the-env-B");
        QTest::newRow("environment file beats the INI file")
            << QStringList{u"--config"_s, section}
            << QStringList{u"FLACK_ADMIN_TOKEN_FILE="_s + envFile}
            << QByteArray("admin-token-from-env-file-C");
        QTest::newRow("command line beats both")
            << QStringList{u"--config"_s, section, u"--admin-token-file"_s, file}
            << QStringList{u"FLACK_ADMIN_TOKEN=admin-token-from-the-env-B"_s} << kToken;
    }

    void adminToken()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QByteArray, token);
        const ConfigResult result = load(arguments, environment);
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.adminToken, token);
        // The token has nothing to do with clustering.
        QVERIFY(!result.config.clustered());
        QVERIFY(result.config.clusterSecret.isEmpty());
    }

    void bothSecrets_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");

        const QString secretFile = writeFile(kSecret + "\n", u"secret"_s);
        const QString tokenFile = writeFile(kToken + "\n", u"token"_s);
        const QStringList clustered{u"--cluster-listen"_s, u"127.0.0.1:9081"_s};
        QTest::newRow("both in the environment")
            << clustered
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText,
                           u"FLACK_ADMIN_TOKEN="_s + kTokenText};
        QTest::newRow("both in files")
            << clustered + QStringList{u"--cluster-secret-file"_s, secretFile,
                                       u"--admin-token-file"_s, tokenFile}
            << QStringList{};
        QTest::newRow("secret in a file, token in the environment")
            << clustered + QStringList{u"--cluster-secret-file"_s, secretFile}
            << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText};
        QTest::newRow("token in a file, secret in the environment")
            << clustered + QStringList{u"--admin-token-file"_s, tokenFile}
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText};
        QTest::newRow("both file names in the environment")
            << clustered
            << QStringList{u"FLACK_CLUSTER_SECRET_FILE="_s + secretFile,
                           u"FLACK_ADMIN_TOKEN_FILE="_s + tokenFile};
        QTest::newRow("both file names in the INI file")
            << clustered +
                   QStringList{u"--config"_s,
                               writeFile("[server]\ncluster-secret-file=" + secretFile.toUtf8() +
                                         "\nadmin-token-file=" + tokenFile.toUtf8() + "\n")}
            << QStringList{};
        // Each secret's file or variable may be set beside the other's variable or file.
        QTest::newRow("secret file name and token variable in the environment")
            << clustered
            << QStringList{u"FLACK_CLUSTER_SECRET_FILE="_s + secretFile,
                           u"FLACK_ADMIN_TOKEN="_s + kTokenText};
    }

    void bothSecrets()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        const ConfigResult result = load(arguments, environment);
        QVERIFY2(result.outcome == ConfigResult::Outcome::Run, qPrintable(result.text));
        QCOMPARE(result.config.clusterSecret, kSecret);
        QCOMPARE(result.config.adminToken, kToken);
        QVERIFY(result.config.clustered());
    }

    void secretMessages_data()
    {
        // The exact lines for each secret; the cluster secret's are as they always were.
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("text");

        QTest::newRow("cluster secret on the command line")
            << QStringList{u"--cluster-secret"_s, kSecretText} << QStringList{}
            << u"flack-server: the cluster secret is not accepted on the command line (other "
               "users can see it there): put it in a file given with --cluster-secret-file, or "
               "in the environment as FLACK_CLUSTER_SECRET"_s;
        QTest::newRow("admin token on the command line")
            << QStringList{u"--admin-token"_s, kTokenText} << QStringList{}
            << u"flack-server: the admin token is not accepted on the command line (other users "
               "can see it there): put it in a file given with --admin-token-file, or in the "
               "environment as FLACK_ADMIN_TOKEN"_s;
        QTest::newRow("both cluster secret variables")
            << QStringList{}
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText,
                           u"FLACK_CLUSTER_SECRET_FILE=/etc/hostname"_s}
            << u"flack-server: both FLACK_CLUSTER_SECRET and FLACK_CLUSTER_SECRET_FILE are set: "
               "set only one"_s;
        QTest::newRow("both admin token variables")
            << QStringList{}
            << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText,
                           u"FLACK_ADMIN_TOKEN_FILE=/etc/hostname"_s}
            << u"flack-server: both FLACK_ADMIN_TOKEN and FLACK_ADMIN_TOKEN_FILE are set: set "
               "only one"_s;
        const QString secretIni = writeFile("cluster-secret=" + kSecret + "\n");
        QTest::newRow("cluster secret in the INI file")
            << QStringList{u"--config"_s, secretIni} << QStringList{}
            << u"flack-server: config file '%1': the cluster secret is not accepted in a config "
               "file; put it in a file named by cluster-secret-file, or set FLACK_CLUSTER_SECRET"_s
                   .arg(secretIni);
        const QString tokenIni = writeFile("[server]\nadmin-token=" + kToken + "\n");
        QTest::newRow("admin token in the INI file")
            << QStringList{u"--config"_s, tokenIni} << QStringList{}
            << u"flack-server: config file '%1': the admin token is not accepted in a config "
               "file; put it in a file named by admin-token-file, or set FLACK_ADMIN_TOKEN"_s.arg(
                   tokenIni);
        const QString shortSecret = writeFile("shortS3cret\n", u"secret"_s);
        QTest::newRow("short cluster secret file")
            << QStringList{u"--cluster-secret-file"_s, shortSecret} << QStringList{}
            << u"flack-server: invalid value '%1' for cluster-secret-file (--cluster-secret-file): "
               "the secret in it is shorter than 16 bytes"_s.arg(shortSecret);
        const QString shortToken = writeFile("shortT0ken\n", u"token"_s);
        QTest::newRow("short admin token file")
            << QStringList{u"--admin-token-file"_s, shortToken} << QStringList{}
            << u"flack-server: invalid value '%1' for admin-token-file (--admin-token-file): the "
               "token in it is shorter than 16 bytes"_s.arg(shortToken);
        QTest::newRow("short cluster secret in the environment")
            << QStringList{} << QStringList{u"FLACK_CLUSTER_SECRET=shortS3cret"_s}
            << u"flack-server: invalid cluster-secret (from FLACK_CLUSTER_SECRET): the cluster "
               "secret must be at least 16 bytes"_s;
        QTest::newRow("short admin token in the environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN=shortT0ken"_s}
            << u"flack-server: invalid admin-token (from FLACK_ADMIN_TOKEN): the admin token "
               "must be at least 16 bytes"_s;
        const QString secretFile = writeFile(kSecret + "\n", u"secret"_s);
        QTest::newRow("cluster secret file given as the config file")
            << QStringList{u"--config"_s, secretFile, u"--cluster-secret-file"_s, secretFile}
            << QStringList{}
            << u"flack-server: config file '%1' is also the cluster secret file; keep the secret "
               "in a file of its own"_s.arg(secretFile);
        const QString tokenFile = writeFile(kToken + "\n", u"token"_s);
        QTest::newRow("admin token file given as the config file")
            << QStringList{u"--config"_s, tokenFile}
            << QStringList{u"FLACK_ADMIN_TOKEN_FILE="_s + tokenFile}
            << u"flack-server: config file '%1' is also the admin token file; keep the token in "
               "a file of its own"_s.arg(tokenFile);
    }

    void secretMessages()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, text);
        const ConfigResult result = load(arguments, environment);
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QCOMPARE(result.text, text);
    }

    void secretWithoutClusterIsHarmless()
    {
        // A shared environment may carry the secret to every node, clustered or not.
        const ConfigResult result = load({}, {u"FLACK_CLUSTER_SECRET="_s + kSecretText});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QVERIFY(!result.config.clustered());
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("mentions");

        const QStringList none;
        QTest::newRow("port not a number")
            << QStringList{u"--port"_s, u"abc"_s} << none << u"port"_s;
        QTest::newRow("port too big") << QStringList{u"--port"_s, u"70000"_s} << none << u"70000"_s;
        QTest::newRow("negative idle")
            << QStringList{u"--idle-timeout"_s, u"-1"_s} << none << u"idle-timeout"_s;
        QTest::newRow("bad bind") << QStringList{u"--bind"_s, u"nowhere.example"_s} << none
                                  << u"bind"_s;
        QTest::newRow("tiny message limit")
            << QStringList{u"--max-message-bytes"_s, u"1"_s} << none << u"max-message-bytes"_s;
        QTest::newRow("zero connections")
            << QStringList{u"--max-connections"_s, u"0"_s} << none << u"max-connections"_s;
        QTest::newRow("zero rooms")
            << QStringList{u"--max-rooms"_s, u"0"_s} << none << u"max-rooms"_s;
        QTest::newRow("bad event loop")
            << QStringList{u"--event-loop"_s, u"select"_s} << none << u"event-loop"_s;
        QTest::newRow("bad level")
            << QStringList{u"--log-level"_s, u"loud"_s} << none << u"log-level"_s;
        QTest::newRow("missing web root")
            << QStringList{u"--web-root"_s, u"/no/such/dir"_s} << none << u"web-root"_s;
        QTest::newRow("unknown option") << QStringList{u"--colour"_s} << none << u"colour"_s;
        QTest::newRow("missing value") << QStringList{u"--port"_s} << none << u"port"_s;
        QTest::newRow("positional") << QStringList{u"extra"_s} << none << u"extra"_s;
        QTest::newRow("bad environment")
            << QStringList{} << QStringList{u"FLACK_PORT=x"_s} << u"FLACK_PORT"_s;
        QTest::newRow("missing config file")
            << QStringList{u"--config"_s, u"/no/such/file.ini"_s} << none << u"/no/such/file.ini"_s;

        // Cluster values. A valid secret is in the environment, so each row fails on its value.
        const QStringList secret{u"FLACK_CLUSTER_SECRET="_s + kSecretText};
        const auto listen = [](const QString &value) {
            return QStringList{u"--cluster-listen"_s, value};
        };
        QTest::newRow("listen without port") << listen(u"127.0.0.1"_s) << secret << u"HOST:PORT"_s;
        QTest::newRow("listen empty port") << listen(u"127.0.0.1:"_s) << secret << u"port"_s;
        QTest::newRow("listen without host") << listen(u":9081"_s) << secret << u"host"_s;
        QTest::newRow("listen port too big")
            << listen(u"127.0.0.1:65536"_s) << secret << u"65536"_s;
        QTest::newRow("listen port sign") << listen(u"127.0.0.1:+90"_s) << secret << u"port"_s;
        QTest::newRow("listen IPv6 unbracketed")
            << listen(u"::1:9081"_s) << secret << u"brackets"_s;
        QTest::newRow("listen IPv6 no colon") << listen(u"[::1]9081"_s) << secret << u"[IPV6"_s;
        QTest::newRow("listen not IPv6 in brackets")
            << listen(u"[localhost]:9081"_s) << secret << u"IPv6"_s;
        QTest::newRow("listen short IPv4") << listen(u"127.1:9081"_s) << secret << u"IPv4"_s;
        QTest::newRow("listen bad IPv4") << listen(u"300.1.1.1:9081"_s) << secret << u"IPv4"_s;
        QTest::newRow("listen bad host name")
            << listen(u"bad_host:9081"_s) << secret << u"host name"_s;
        QTest::newRow("listen hyphen first") << listen(u"-a:9081"_s) << secret << u"host name"_s;
        QTest::newRow("listen from environment")
            << QStringList{} << QStringList{u"FLACK_CLUSTER_LISTEN=nowhere"_s}
            << u"FLACK_CLUSTER_LISTEN"_s;
        const auto peers = [](const QString &value) {
            return QStringList{u"--cluster-listen"_s, u"127.0.0.1:9081"_s, u"--peers"_s, value};
        };
        QTest::newRow("peers empty") << peers(u""_s) << secret << u"empty entry"_s;
        QTest::newRow("peers empty entry") << peers(u"a:1,,b:2"_s) << secret << u"empty entry"_s;
        QTest::newRow("peers trailing comma") << peers(u"a:1,"_s) << secret << u"empty entry"_s;
        QTest::newRow("peers port 0") << peers(u"a:0"_s) << secret << u"from 1 to 65535"_s;
        QTest::newRow("peers bad port") << peers(u"a:1,b:x"_s) << secret << u"peer 'b:x'"_s;
        QTest::newRow("peers no port") << peers(u"a"_s) << secret << u"HOST:PORT"_s;
        QTest::newRow("peers duplicate") << peers(u"a:1,a:1"_s) << secret << u"twice"_s;
        QStringList tooMany;
        for (int i = 0; i < 65; ++i)
            tooMany.append(u"h%1:1"_s.arg(i));
        QTest::newRow("65 peers") << peers(tooMany.join(u',')) << secret << u"more than 64"_s;
        const auto name = [](const QString &value) { return QStringList{u"--node-name"_s, value}; };
        QTest::newRow("node name empty") << name(u""_s) << none << u"node-name"_s;
        QTest::newRow("node name blank") << name(u"  "_s) << none << u"node-name"_s;
        QTest::newRow("node name space") << name(u"node 1"_s) << none << u"spaces"_s;
        QTest::newRow("node name slash") << name(u"a/b"_s) << none << u"'/'"_s;
        QTest::newRow("node name control") << name(u"a\u0001b"_s) << none << u"control"_s;
        QTest::newRow("node name newline") << name(u"a\nb"_s) << none << u"node-name"_s;
        QTest::newRow("node name 256 bytes") << name(QString(256, u'n')) << none << u"255"_s;
        QTest::newRow("node name 256 UTF-8 bytes")
            << name(QString(128, QChar(0xe9))) << none << u"255"_s;
        QTest::newRow("peer timeout too small")
            << QStringList{u"--peer-timeout-ms"_s, u"99"_s} << none << u"peer-timeout-ms"_s;
        QTest::newRow("peer timeout too big")
            << QStringList{u"--peer-timeout-ms"_s, u"600001"_s} << none << u"600000"_s;
        QTest::newRow("peer timeout not a number")
            << QStringList{u"--peer-timeout-ms"_s, u"soon"_s} << none << u"peer-timeout-ms"_s;

        // Rules across settings.
        QTest::newRow("listen without secret")
            << listen(u"127.0.0.1:9081"_s) << none << u"--cluster-secret-file"_s;
        QTest::newRow("peers without secret")
            << peers(u"127.0.0.1:9082"_s) << none << u"FLACK_CLUSTER_SECRET"_s;
        QTest::newRow("peers without listen")
            << QStringList{u"--peers"_s, u"127.0.0.1:9082"_s} << secret << u"--cluster-listen"_s;
        QTest::newRow("both secret variables")
            << QStringList{}
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText,
                           u"FLACK_CLUSTER_SECRET_FILE=/etc/hostname"_s}
            << u"only one"_s;
        QTest::newRow("missing secret file")
            << QStringList{u"--cluster-secret-file"_s, u"/no/such/secret"_s} << none
            << u"/no/such/secret"_s;
        QTest::newRow("secret file is a directory")
            << QStringList{u"--cluster-secret-file"_s, m_dir.path()} << none << m_dir.path();
        const QString empty = writeFile("", u"secret"_s);
        QTest::newRow("empty secret file")
            << QStringList{u"--cluster-secret-file"_s, empty} << none << empty;
        const QString newline = writeFile("\n", u"secret"_s);
        QTest::newRow("secret file of a newline")
            << QStringList{u"--cluster-secret-file"_s, newline} << none << u"empty"_s;
        const QString shortSecret = writeFile("fifteen-bytes!!\n", u"secret"_s);
        QTest::newRow("secret file too short")
            << QStringList{u"--cluster-secret-file"_s, shortSecret} << none << u"16 bytes"_s;
        const QString huge = writeFile(QByteArray(5000, 'x'), u"secret"_s);
        QTest::newRow("secret file too large")
            << QStringList{u"--cluster-secret-file"_s, huge} << none << huge;
        QTest::newRow("secret file from environment")
            << QStringList{} << QStringList{u"FLACK_CLUSTER_SECRET_FILE=/no/such/secret"_s}
            << u"FLACK_CLUSTER_SECRET_FILE"_s;

        // The admin token, read like the cluster secret.
        QTest::newRow("both admin token variables")
            << QStringList{}
            << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText,
                           u"FLACK_ADMIN_TOKEN_FILE=/etc/hostname"_s}
            << u"only one"_s;
        QTest::newRow("missing admin token file")
            << QStringList{u"--admin-token-file"_s, u"/no/such/token"_s} << none
            << u"/no/such/token"_s;
        QTest::newRow("admin token file is a directory")
            << QStringList{u"--admin-token-file"_s, m_dir.path()} << none << m_dir.path();
        QTest::newRow("empty admin token file")
            << QStringList{u"--admin-token-file"_s, empty} << none << u"empty"_s;
        const QString shortToken = writeFile("fifteen-bytes!!\n", u"token"_s);
        QTest::newRow("admin token file too short")
            << QStringList{u"--admin-token-file"_s, shortToken} << none << u"16 bytes"_s;
        QTest::newRow("admin token file too large")
            << QStringList{u"--admin-token-file"_s, huge} << none << u"4096"_s;
        QTest::newRow("admin token too short in environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN=fifteen-bytes!!"_s}
            << u"16 bytes"_s;
        QTest::newRow("admin token empty in environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN="_s} << u"FLACK_ADMIN_TOKEN"_s;
        QTest::newRow("admin token file from environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN_FILE=/no/such/token"_s}
            << u"FLACK_ADMIN_TOKEN_FILE"_s;
        QTest::newRow("admin token file from the INI file")
            << QStringList{u"--config"_s, writeFile("admin-token-file=/no/such/token\n")} << none
            << u"/no/such/token"_s;
        QTest::newRow("admin token file without value")
            << QStringList{u"--admin-token-file"_s} << none << u"admin-token-file"_s;
    }

    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, mentions);
        const ConfigResult result = load(arguments, environment);
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(mentions), qPrintable(result.text));
        QVERIFY(result.text.startsWith(u"flack-server: "_s));
        QVERIFY2(!result.text.contains(u'\n'), "errors are one line");
    }

    void secretNeverShown_data()
    {
        // Each row fails; the secret (or what is in the secret file) must not be in the text.
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("mentions");
        QTest::addColumn<QString>("secret");

        const QStringList none;
        const QString hint = u"FLACK_CLUSTER_SECRET"_s;
        QTest::newRow("--cluster-secret VALUE")
            << QStringList{u"--cluster-secret"_s, kSecretText} << none << hint << kSecretText;
        QTest::newRow("--cluster-secret=VALUE")
            << QStringList{u"--cluster-secret="_s + kSecretText} << none << hint << kSecretText;
        QTest::newRow("-cluster-secret VALUE") << QStringList{u"-cluster-secret"_s, kSecretText}
                                               << none << u"--cluster-secret-file"_s << kSecretText;
        QTest::newRow("--cluster-secret without value")
            << QStringList{u"--port"_s, u"1"_s, u"--cluster-secret"_s} << none << hint
            << kSecretText;
        QTest::newRow("--cluster-secret beside --help")
            << QStringList{u"--help"_s, u"--cluster-secret"_s, kSecretText} << none << hint
            << kSecretText;
        QTest::newRow("short secret in environment")
            << QStringList{} << QStringList{u"FLACK_CLUSTER_SECRET=shortS3cret"_s}
            << u"FLACK_CLUSTER_SECRET"_s << u"shortS3cret"_s;
        QTest::newRow("short secret with newline in environment")
            << QStringList{} << QStringList{u"FLACK_CLUSTER_SECRET=tiny\nS3cret"_s} << u"16 bytes"_s
            << u"S3cret"_s;
        const QString shortFile = writeFile("shortS3cret2\n", u"secret"_s);
        QTest::newRow("short secret file") << QStringList{u"--cluster-secret-file"_s, shortFile}
                                           << none << shortFile << u"shortS3cret2"_s;
        QTest::newRow("secret in the INI file")
            << QStringList{u"--config"_s, writeFile("cluster-secret=" + kSecret + "\n")} << none
            << u"cluster-secret-file"_s << kSecretText;
        QTest::newRow("secret in the INI file's section")
            << QStringList{u"--config"_s, writeFile("[server]\ncluster-secret=" + kSecret + "\n")}
            << none << u"cluster-secret-file"_s << kSecretText;
        // A secret with '=' (base64 padding) reads as an INI key: given as --config by mistake,
        // it would be quoted as an unknown setting.
        const QString base64File = writeFile("c2VjcmV0LXNlY3JldC1zZWNyZXQ=\n", u"secret"_s);
        QTest::newRow("secret file given as the config file")
            << QStringList{u"--config"_s, base64File, u"--cluster-secret-file"_s, base64File}
            << none << u"of its own"_s << u"c2VjcmV0LXNlY3JldC1zZWNyZXQ"_s;
        QTest::newRow("secret pasted into the INI file")
            << QStringList{u"--config"_s, writeFile("c2VjcmV0LXNlY3JldC1zZWNyZXQ=\n")}
            << QStringList{u"FLACK_CLUSTER_SECRET_FILE="_s + base64File} << u"unknown setting"_s
            << u"c2VjcmV0LXNlY3JldC1zZWNyZXQ"_s;
        QTest::newRow("valid secret, other error")
            << QStringList{u"--cluster-listen"_s, u"127.0.0.1:x"_s}
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText} << u"cluster-listen"_s
            << kSecretText;

        // The admin token, kept out of errors the same way.
        const QString tokenHint = u"FLACK_ADMIN_TOKEN"_s;
        QTest::newRow("--admin-token VALUE")
            << QStringList{u"--admin-token"_s, kTokenText} << none << tokenHint << kTokenText;
        QTest::newRow("--admin-token=VALUE")
            << QStringList{u"--admin-token="_s + kTokenText} << none << tokenHint << kTokenText;
        QTest::newRow("-admin-token VALUE") << QStringList{u"-admin-token"_s, kTokenText} << none
                                            << u"--admin-token-file"_s << kTokenText;
        QTest::newRow("--admin-token without value")
            << QStringList{u"--port"_s, u"1"_s, u"--admin-token"_s} << none << tokenHint
            << kTokenText;
        QTest::newRow("--admin-token beside --help")
            << QStringList{u"--help"_s, u"--admin-token"_s, kTokenText} << none << tokenHint
            << kTokenText;
        QTest::newRow("--admin-token beside a valid token file")
            << QStringList{u"--admin-token-file"_s, writeFile(kToken + "\n", u"token"_s),
                           u"--admin-token"_s, kTokenText}
            << none << tokenHint << kTokenText;
        QTest::newRow("short token in environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN=shortT0ken"_s} << tokenHint
            << u"shortT0ken"_s;
        QTest::newRow("short token with newline in environment")
            << QStringList{} << QStringList{u"FLACK_ADMIN_TOKEN=tiny\nT0ken"_s} << u"16 bytes"_s
            << u"T0ken"_s;
        const QString shortTokenFile = writeFile("shortT0ken22\n", u"token"_s);
        QTest::newRow("short token file") << QStringList{u"--admin-token-file"_s, shortTokenFile}
                                          << none << shortTokenFile << u"shortT0ken22"_s;
        QTest::newRow("token in the INI file")
            << QStringList{u"--config"_s, writeFile("admin-token=" + kToken + "\n")} << none
            << u"admin-token-file"_s << kTokenText;
        QTest::newRow("token in the INI file's section")
            << QStringList{u"--config"_s, writeFile("[server]\nadmin-token=" + kToken + "\n")}
            << none << u"admin-token-file"_s << kTokenText;
        const QString base64Token = writeFile("YWRtaW4tdG9rZW4tdG9rZW4=\n", u"token"_s);
        QTest::newRow("token file given as the config file")
            << QStringList{u"--config"_s, base64Token, u"--admin-token-file"_s, base64Token} << none
            << u"admin token file"_s << u"YWRtaW4tdG9rZW4tdG9rZW4"_s;
        QTest::newRow("token pasted into the INI file")
            << QStringList{u"--config"_s, writeFile("YWRtaW4tdG9rZW4tdG9rZW4=\n")}
            << QStringList{u"FLACK_ADMIN_TOKEN_FILE="_s + base64Token} << u"unknown setting"_s
            << u"YWRtaW4tdG9rZW4tdG9rZW4"_s;
        QTest::newRow("token from the environment pasted into the INI file")
            << QStringList{u"--config"_s, writeFile("adm1n-T0KEN=pasted-too\n")}
            << QStringList{u"FLACK_ADMIN_TOKEN=adm1n-T0KEN=pasted-too"_s} << u"unknown setting"_s
            << u"adm1n-T0KEN"_s;
        QTest::newRow("valid token, other error")
            << QStringList{u"--port"_s, u"x"_s} << QStringList{u"FLACK_ADMIN_TOKEN="_s + kTokenText}
            << u"port"_s << kTokenText;
        QTest::newRow("valid token and secret, other error")
            << QStringList{u"--cluster-listen"_s, u"127.0.0.1:x"_s}
            << QStringList{u"FLACK_CLUSTER_SECRET="_s + kSecretText,
                           u"FLACK_ADMIN_TOKEN="_s + kTokenText}
            << u"cluster-listen"_s << kTokenText;
    }

    void secretNeverShown()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, mentions);
        QFETCH(QString, secret);
        const ConfigResult result = load(arguments, environment);
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(mentions), qPrintable(result.text));
        QVERIFY2(!result.text.contains(secret), qPrintable(result.text));
        QVERIFY2(!result.text.contains(u'\n'), "errors are one line");
    }

    void fileErrors()
    {
        ConfigResult result = load({u"--config"_s, writeFile("prot=1\n")});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"unknown setting 'prot'"_s), qPrintable(result.text));
        result = load({u"--config"_s, writeFile("port=lots\n")});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"lots"_s), qPrintable(result.text));
        result = load({u"--config"_s, m_dir.path()});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"not a readable file"_s), qPrintable(result.text));
    }

    // Connection admission: per address, pending pool, handshake deadline.
    void admissionLimits()
    {
        ConfigResult result = load({});
        QCOMPARE(result.config.maxConnectionsPerAddress, 1000);
        QCOMPARE(result.config.maxPendingConnections, 1000);
        QCOMPARE(result.config.handshakeTimeoutMs, 10000);
        QCOMPARE(result.config.authTimeoutSeconds, 10);
        QCOMPARE(load({u"--auth-timeout-seconds"_s, u"3"_s}).config.authTimeoutSeconds, 3);
        QCOMPARE(load({}, {u"FLACK_AUTH_TIMEOUT_SECONDS=4"_s}).config.authTimeoutSeconds, 4);
        const QString file = writeFile("max-connections-per-address=7\n"
                                       "max-pending-connections=8\nhandshake-timeout-ms=900\n");
        result = load({u"--config"_s, file, u"--max-pending-connections"_s, u"9"_s},
                      {u"FLACK_HANDSHAKE_TIMEOUT_MS=800"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.maxConnectionsPerAddress, 7);
        QCOMPARE(result.config.maxPendingConnections, 9);
        QCOMPARE(result.config.handshakeTimeoutMs, 800);
        for (const QStringList &bad : {QStringList{u"--max-connections-per-address"_s, u"0"_s},
                                       QStringList{u"--max-pending-connections"_s, u"x"_s},
                                       QStringList{u"--handshake-timeout-ms"_s, u"99"_s},
                                       QStringList{u"--auth-timeout-seconds"_s, u"0"_s}}) {
            result = load(bad);
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(bad.first().mid(2)), qPrintable(result.text));
        }
    }

    // Write coalescing: a window in milliseconds, 0 (off) to 100.
    void coalesceWritesMs()
    {
        QCOMPARE(load({}).config.coalesceWritesMs, 0);
        QCOMPARE(load({u"--coalesce-writes-ms"_s, u"5"_s}).config.coalesceWritesMs, 5);
        QCOMPARE(load({}, {u"FLACK_COALESCE_WRITES_MS=12"_s}).config.coalesceWritesMs, 12);
        QCOMPARE(load({u"--config"_s, writeFile("coalesce-writes-ms=2\n")}).config.coalesceWritesMs,
                 2);
        for (const QString &bad : {u"-1"_s, u"101"_s, u"soon"_s}) {
            const ConfigResult result = load({u"--coalesce-writes-ms"_s, bad});
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(u"coalesce-writes-ms"_s), qPrintable(result.text));
        }
    }

    // joined/left's window: milliseconds, 0 (at once) to 1000, apart from coalesce-writes-ms.
    void presenceWindowMs()
    {
        QCOMPARE(load({}).config.presenceWindowMs, 250);
        QCOMPARE(load({u"--coalesce-writes-ms"_s, u"5"_s}).config.presenceWindowMs, 250);
        QCOMPARE(load({u"--presence-window-ms"_s, u"0"_s}).config.presenceWindowMs, 0);
        QCOMPARE(load({}, {u"FLACK_PRESENCE_WINDOW_MS=40"_s}).config.presenceWindowMs, 40);
        QCOMPARE(load({u"--config"_s, writeFile("presence-window-ms=1000\n")})
                     .config.presenceWindowMs,
                 1000);
        for (const QString &bad : {u"-1"_s, u"1001"_s, u"later"_s}) {
            const ConfigResult result = load({u"--presence-window-ms"_s, bad});
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(u"presence-window-ms"_s), qPrintable(result.text));
        }
    }

    // Worker threads: 1 (everything on the main thread) to 64.
    void threads()
    {
        QCOMPARE(load({}).config.threads, 1);
        QCOMPARE(load({u"--threads"_s, u"2"_s}).config.threads, 2);
        QCOMPARE(load({}, {u"FLACK_THREADS=4"_s}).config.threads, 4);
        QCOMPARE(load({u"--config"_s, writeFile("threads=64\n")}).config.threads, 64);
        for (const QString &bad : {u"0"_s, u"65"_s, u"many"_s}) {
            const ConfigResult result = load({u"--threads"_s, bad});
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(u"threads"_s), qPrintable(result.text));
        }
    }

    // TLS: both files or neither, from any source; errors name the file, never the key in it.
    // (tst_tls starts servers with real certificates.)
    void tlsFiles()
    {
        ConfigResult result = load({});
        QVERIFY(!result.config.tlsEnabled());
        result = load({u"--tls-cert"_s, u"/no/such/cert.pem"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"--tls-cert needs --tls-key"_s), qPrintable(result.text));
        result = load({}, {u"FLACK_TLS_KEY=/no/such/key.pem"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"--tls-key needs --tls-cert"_s), qPrintable(result.text));
        result = load(
            {u"--config"_s, writeFile("tls-cert=/no/such/cert.pem\ntls-key=/no/such/key.pem\n")});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"cannot use certificate file '/no/such/cert.pem': no such "
                                      "file"_s),
                 qPrintable(result.text));

        const QByteArray keyLine =
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgVGhpc0lzTm90QUtleQ";
        const QString key = writeFile(
            "-----BEGIN PRIVATE KEY-----\n" + keyLine + "\n-----END PRIVATE KEY-----\n", u"key"_s);
        const QString cert = writeFile("not a certificate\n", u"pem"_s);
        result = load({u"--tls-cert"_s, cert, u"--tls-key"_s, key});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"no PEM certificate"_s), qPrintable(result.text));
        // The key file given as the config file: refused as such, not quoted line by line.
        for (const QStringList &arguments :
             {QStringList{u"--config"_s, key},
              QStringList{u"--config"_s, key, u"--tls-key"_s, key}}) {
            result = load(arguments);
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(u"private key"_s), qPrintable(result.text));
            QVERIFY2(!result.text.contains(QString::fromLatin1(keyLine.first(12))),
                     qPrintable(result.text));
        }
        // A certificate that is fine as a file but a key that isn't one.
        result = load({u"--tls-cert"_s, key, u"--tls-key"_s, cert});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(!result.text.contains(QString::fromLatin1(keyLine.first(12))),
                 qPrintable(result.text));
    }

    // Connection admission: the origin allow-list.
    void allowedOrigins()
    {
        ConfigResult result = load({});
        QVERIFY(result.config.allowedOrigins.isEmpty()); // only the web client's own origin
        result = load({u"--allowed-origins"_s,
                       u"https://Chat.Example.com, http://localhost:3000,https://a.example:443"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.allowedOrigins,
                 QStringList({u"https://chat.example.com"_s, u"http://localhost:3000"_s,
                              u"https://a.example"_s}));
        // An INI value with commas, and the environment over it.
        const QString file = writeFile("allowed-origins=https://a.example,https://b.example\n");
        result = load({u"--config"_s, file});
        QCOMPARE(result.config.allowedOrigins,
                 QStringList({u"https://a.example"_s, u"https://b.example"_s}));
        result = load({u"--config"_s, file}, {u"FLACK_ALLOWED_ORIGINS=http://c.example"_s});
        QCOMPARE(result.config.allowedOrigins, QStringList({u"http://c.example"_s}));
        for (const QString &bad : {u"chat.example.com"_s, u"ftp://a.example"_s,
                                   u"https://a.example/path"_s, u"https://user@a.example"_s}) {
            result = load({u"--allowed-origins"_s, bad});
            QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
            QVERIFY2(result.text.contains(u"allowed-origins"_s), qPrintable(result.text));
        }
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
