// TLS on the one port (--tls-cert, --tls-key), against a real server process with a CA and
// certificates this test makes with openssl: the chat over wss://, the HTTP routes over
// https://, a client that doesn't trust the certificate, plain HTTP sent to the TLS port,
// handshakes that never finish, and the start-up errors of bad TLS settings.

#include "shared/clientrecordencoder.h"
#include "tests/support/localcluster.h"
#include "tests/support/rawclient.h"
#include "tests/support/processmemory.h"
#include "tests/support/serverprocess.h"
#include "tests/support/wstestclient.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using flack::test::LocalCluster;
using flack::test::maskedTextFrame;
using flack::test::residentKiB;
using flack::test::ServerProcess;
using flack::test::WsTestClient;
namespace protocol = flack::protocol;

namespace {

// The server's handshake deadline in these tests: long enough for a loaded machine to finish a
// real handshake, short enough to wait for a stalled one.
constexpr int kHandshakeTimeoutMs = 1500;

// Runs openssl in dir, bounded in time; the output on failure.
bool openssl(const QString &dir, const QStringList &arguments, QByteArray *output)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(u"openssl"_s, arguments);
    if (!process.waitForStarted(10000)) {
        *output = "openssl did not start (tools/dev/install-deps.sh installs it)";
        return false;
    }
    if (!process.waitForFinished(30000)) {
        process.kill();
        process.waitForFinished(5000);
        *output = "openssl did not finish in time";
        return false;
    }
    *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

// A CA (name.pem, name.key), with EC keys: quick to make.
QStringList caArguments(const QString &name)
{
    return {u"req"_s,    u"-x509"_s,       u"-newkey"_s,
            u"ec"_s,     u"-pkeyopt"_s,    u"ec_paramgen_curve:prime256v1"_s,
            u"-nodes"_s, u"-keyout"_s,     name + u".key"_s,
            u"-out"_s,   name + u".pem"_s, u"-days"_s,
            u"2"_s,      u"-subj"_s,       u"/CN="_s + name};
}

// A key (name.key) and a certificate (name.pem) for 127.0.0.1 and localhost, issued by the
// CA named; the extensions file server.ext must exist.
bool issueCertificate(const QString &dir, const QString &name, const QString &ca,
                      QByteArray *output)
{
    return openssl(dir,
                   {u"req"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                    u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-keyout"_s, name + u".key"_s,
                    u"-out"_s, name + u".csr"_s, u"-subj"_s, u"/CN=127.0.0.1"_s},
                   output) &&
           openssl(dir,
                   {u"x509"_s, u"-req"_s, u"-in"_s, name + u".csr"_s, u"-CA"_s, ca + u".pem"_s,
                    u"-CAkey"_s, ca + u".key"_s, u"-CAcreateserial"_s, u"-out"_s, name + u".pem"_s,
                    u"-days"_s, u"2"_s, u"-extfile"_s, u"server.ext"_s},
                   output);
}

QByteArray readAllUntilClosed(QTcpSocket &socket, int timeoutMs)
{
    QByteArray bytes;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        bytes += socket.readAll();
        if (socket.state() == QAbstractSocket::UnconnectedState)
            break;
        socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return bytes + socket.readAll();
}

// Waits (bounded) until the server closes socket; how long that took, or -1.
qint64 waitForServerClose(QTcpSocket &socket, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QDeadlineTimer deadline(timeoutMs);
    while (socket.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        socket.readAll();
        // waitForReadyRead() also returns when the peer closes or resets.
        socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return socket.state() == QAbstractSocket::UnconnectedState ? clock.elapsed() : -1;
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ServerProcess> m_server;

    QString file(const QString &name) const { return m_dir.filePath(name); }

    // Trusts only the CA named (the test's own, or the other one).
    QSslConfiguration trusting(const QString &ca) const
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(QSslCertificate::fromPath(file(ca + u".pem"_s)));
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        return configuration;
    }

    // An encrypted connection to the server, trusting the test CA; null if it failed.
    std::unique_ptr<QSslSocket> connectEncrypted(const QString &ca = u"ca"_s)
    {
        auto socket = std::make_unique<QSslSocket>();
        socket->setSslConfiguration(trusting(ca));
        socket->connectToHostEncrypted(u"127.0.0.1"_s, m_server->port());
        if (!socket->waitForEncrypted(10000))
            return nullptr;
        return socket;
    }

    // One HTTP GET over TLS; the whole answer (the server closes after it).
    QByteArray httpsGet(const QByteArray &path)
    {
        const std::unique_ptr<QSslSocket> socket = connectEncrypted();
        if (!socket)
            return {};
        socket->write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        return readAllUntilClosed(*socket, 10000);
    }

    bool serverStillServes() { return httpsGet("/healthz").startsWith("HTTP/1.1 200"); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QByteArray output;
        const QString dir = m_dir.path();
        QVERIFY2(openssl(dir, caArguments(u"ca"_s), &output), output.constData());
        QVERIFY2(openssl(dir, caArguments(u"other"_s), &output), output.constData());
        QFile extensions(file(u"server.ext"_s));
        QVERIFY(extensions.open(QIODevice::WriteOnly));
        extensions.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        extensions.close();
        QVERIFY2(issueCertificate(dir, u"server"_s, u"ca"_s, &output), output.constData());
        // A node certificate from the other CA: not one of the cluster's.
        QVERIFY2(issueCertificate(dir, u"rogue"_s, u"other"_s, &output), output.constData());

        m_server = std::make_unique<ServerProcess>(QStringList{
            u"--tls-cert"_s, file(u"server.pem"_s), u"--tls-key"_s, file(u"server.key"_s),
            u"--handshake-timeout-ms"_s, QString::number(kHandshakeTimeoutMs)});
        QVERIFY2(m_server->start(), m_server->output().constData());
        QVERIFY(m_server->secure());
        QCOMPARE(m_server->chatUrl().scheme(), u"wss"_s);
    }

    void cleanupTestCase()
    {
        if (m_server)
            QCOMPARE(m_server->terminate(), 0);
    }

    void chatOverWss()
    {
        WsTestClient alice;
        alice.socket().setSslConfiguration(trusting(u"ca"_s));
        QVERIFY(alice.open(m_server->chatUrl()));
        WsTestClient bob;
        bob.socket().setSslConfiguration(trusting(u"ca"_s));
        QVERIFY(bob.open(m_server->chatUrl()));
        QVERIFY(!alice.login(u"alice"_s).isEmpty());
        QVERIFY(!bob.login(u"bob"_s).isEmpty());
        QCOMPARE(alice.join(u"tls"_s).value(u"record"_s).toString(), u"chat_state"_s);
        QCOMPARE(bob.join(u"tls"_s).value(u"record"_s).toString(), u"chat_state"_s);
        alice.sendText(protocol::encodeClientChatMessage(u"tls", u"over wss"));
        const QJsonObject got = bob.nextOf(u"chat_message");
        QCOMPARE(got.value(u"message"_s).toString(), u"over wss"_s);
        QCOMPARE(alice.nextOf(u"chat_message").value(u"message"_s).toString(), u"over wss"_s);
    }

    // Over its burst a sender's reading is paused (the TCP socket's signals withheld from the
    // websocket layer) and resumed at the rate. Under TLS the paused socket is the QSslSocket,
    // whose buffer holds decrypted bytes and whose TCP socket underneath still signals: the
    // paste must still arrive whole and in order, neither stuck nor reordered. At the default
    // rate (20 a second after 60), 100 lines take 2 s, inside the 4 s before CHAT_LIMIT-005.
    void aPasteOverTheBurstPausesAndResumesOverWss()
    {
        WsTestClient reader;
        reader.socket().setSslConfiguration(trusting(u"ca"_s));
        QVERIFY(reader.open(m_server->chatUrl()));
        QVERIFY(!reader.login(u"reader"_s).isEmpty());
        reader.join(u"paste"_s);
        WsTestClient paster;
        paster.socket().setSslConfiguration(trusting(u"ca"_s));
        QVERIFY(paster.open(m_server->chatUrl()));
        QVERIFY(!paster.login(u"paster"_s).isEmpty());
        paster.join(u"paste"_s);
        constexpr int kLines = 100;
        for (int i = 0; i < kLines; ++i)
            paster.sendText(protocol::encodeClientChatMessage(u"paste", QString::number(i)));
        for (int i = 0; i < kLines; ++i) {
            const QJsonObject message = reader.nextOf(u"chat_message", 15000);
            QCOMPARE(message.value(u"message"_s).toString(), QString::number(i));
        }
        QVERIFY(paster.isConnected());
    }

    // Frames sent with the upgrade request are held and replayed (EarlyBytes); under TLS they
    // sit decrypted in the QSslSocket's buffer, which must work the same.
    void framesInTheUpgradeRecordAreRead()
    {
        const std::unique_ptr<QSslSocket> socket = connectEncrypted();
        QVERIFY(socket);
        socket->write("GET /chat-server HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n" +
                      maskedTextFrame(protocol::encodeClientHello(u"1.0")) +
                      maskedTextFrame(protocol::encodeAuthenticate(u"eager")));
        QByteArray received;
        QDeadlineTimer deadline(10000);
        // Server frames are unmasked: the records' JSON shows in the byte stream as it is.
        while (!received.contains("\"authenticated\"") && !deadline.hasExpired()) {
            socket->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
            received += socket->readAll();
        }
        QVERIFY2(received.startsWith("HTTP/1.1 101"), received.left(200).constData());
        QVERIFY(received.contains("\"server_hello\""));
        QVERIFY2(received.contains("\"authenticated\""), received.left(400).constData());
    }

    void httpRoutesOverHttps()
    {
        const QByteArray health = httpsGet("/healthz");
        QVERIFY2(health.startsWith("HTTP/1.1 200"), health.constData());
        QVERIFY(health.endsWith("ok\n"));
        const QByteArray metrics = httpsGet("/metrics");
        QVERIFY2(metrics.startsWith("HTTP/1.1 200"), metrics.left(200).constData());
        QVERIFY(metrics.contains("flack_build_info"));
        const QByteArray page = httpsGet("/");
        QVERIFY2(page.startsWith("HTTP/1.1 200"), page.left(200).constData());
        QVERIFY(page.contains("<html"));
        // /admin is routed over TLS too: without a token it is closed, with its usual 403.
        const std::unique_ptr<QSslSocket> admin = connectEncrypted();
        QVERIFY(admin);
        admin->write("GET /admin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n");
        const QByteArray refused = readAllUntilClosed(*admin, 10000);
        QVERIFY2(refused.startsWith("HTTP/1.1 403"), refused.constData());
    }

    void aClientTrustingAnotherCaRefusesTheServer()
    {
        QSslSocket socket;
        socket.setSslConfiguration(trusting(u"other"_s));
        QSignalSpy sslErrors(&socket, &QSslSocket::sslErrors);
        socket.connectToHostEncrypted(u"127.0.0.1"_s, m_server->port());
        QVERIFY(!socket.waitForEncrypted(10000));
        QVERIFY(!socket.isEncrypted());
        QVERIFY(!sslErrors.isEmpty());
        // The failed handshake cost the server nothing it keeps.
        QVERIFY(serverStillServes());

        // A websocket client alike.
        WsTestClient client;
        client.socket().setSslConfiguration(trusting(u"other"_s));
        QVERIFY(!client.open(m_server->chatUrl(), 5000));
        QVERIFY(serverStillServes());
    }

    void plainHttpToTheTlsPortIsRefused()
    {
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, m_server->port());
        QVERIFY(socket.waitForConnected(10000));
        socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const QByteArray answer = readAllUntilClosed(socket, 10000);
        QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(answer.startsWith("HTTP/1.1 400"), answer.constData());
        QVERIFY(answer.contains("https://"));

        // Plain websocket (ws:// to a wss:// port), and bytes that are neither: closed too.
        WsTestClient plain;
        QVERIFY(!plain.open(QUrl(u"ws://127.0.0.1:%1/chat-server"_s.arg(m_server->port())), 5000));
        QTcpSocket garbage;
        garbage.connectToHost(u"127.0.0.1"_s, m_server->port());
        QVERIFY(garbage.waitForConnected(10000));
        garbage.write(QByteArray(64, '\x01'));
        QVERIFY(waitForServerClose(garbage, 10000) >= 0);
        QVERIFY(serverStillServes());
    }

    void aHandshakeThatNeverFinishesIsTimedOut_data()
    {
        QTest::addColumn<QByteArray>("sent");
        QTest::newRow("nothing") << QByteArray();
        // The start of a ClientHello record that announces more than ever comes.
        QTest::newRow("partial ClientHello")
            << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc", 9);
    }

    void aHandshakeThatNeverFinishesIsTimedOut()
    {
        QFETCH(QByteArray, sent);
        QTcpSocket socket;
        socket.connectToHost(u"127.0.0.1"_s, m_server->port());
        QVERIFY(socket.waitForConnected(10000));
        if (!sent.isEmpty())
            socket.write(sent);
        socket.flush();
        const qint64 closedAfter = waitForServerClose(socket, kHandshakeTimeoutMs + 8000);
        QVERIFY2(closedAfter >= 0, "the server kept a stalled handshake past its deadline");
        // Closed by the deadline, not at once (which would mean the bytes were refused).
        QVERIFY2(closedAfter >= kHandshakeTimeoutMs / 2, qPrintable(QString::number(closedAfter)));
        QVERIFY(serverStillServes());
    }

    // A stalled handshake is one of the pending connections: newcomers evict the oldest of
    // them instead of being refused, long before its deadline.
    void aStalledHandshakeIsEvictedForANewcomer()
    {
        ServerProcess server({u"--tls-cert"_s, file(u"server.pem"_s), u"--tls-key"_s,
                              file(u"server.key"_s), u"--max-pending-connections"_s, u"2"_s,
                              u"--handshake-timeout-ms"_s, u"60000"_s});
        QVERIFY2(server.start(), server.output().constData());
        QTcpSocket first;
        first.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(first.waitForConnected(10000));
        QTcpSocket second;
        second.connectToHost(u"127.0.0.1"_s, server.port());
        QVERIFY(second.waitForConnected(10000));
        // The server accepts in arrival order: of the two pending, the first is the oldest.

        QSslSocket newcomer;
        newcomer.setSslConfiguration(trusting(u"ca"_s));
        newcomer.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
        QVERIFY(newcomer.waitForEncrypted(10000));
        QVERIFY(waitForServerClose(first, 10000) >= 0);
        QCOMPARE(second.state(), QAbstractSocket::ConnectedState);
        newcomer.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY(readAllUntilClosed(newcomer, 10000).startsWith("HTTP/1.1 200"));
        QCOMPARE(server.terminate(), 0);
    }

    // The queue cap counts what waits encrypted too: a QSslSocket's own bytesToWrite() sees
    // only plaintext not yet encrypted, which is next to nothing, so a client that pings and
    // never reads the pongs made the server hold them without bound.
    void unreadPongsCountAgainstTheQueueCapOverTls()
    {
        ServerProcess server({u"--tls-cert"_s, file(u"server.pem"_s), u"--tls-key"_s,
                              file(u"server.key"_s), u"--max-queued-bytes"_s, u"1048576"_s,
                              u"--idle-timeout"_s, u"0"_s});
        QVERIFY2(server.start(), server.output().constData());
        const qint64 pid = server.process().processId();
        const qint64 rssBefore = residentKiB(pid);

        QSslSocket pinger;
        pinger.setSslConfiguration(trusting(u"ca"_s));
        pinger.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
        QVERIFY(pinger.waitForEncrypted(10000));
        pinger.write("GET /chat-server HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n" +
                     maskedTextFrame(protocol::encodeClientHello(u"1.0")) +
                     maskedTextFrame(protocol::encodeAuthenticate(u"pinger")));
        // From now on it reads no more than this: the rest stays in the kernel, then in the
        // server.
        pinger.setReadBufferSize(4096);
        QByteArray batch;
        for (int i = 0; i < 500; ++i)
            batch += flack::test::maskedFrame(0x9, QByteArray(125, 'p'));
        qint64 sent = 0;
        qint64 rssPeak = rssBefore;
        QDeadlineTimer deadline(60000);
        while (!deadline.hasExpired() && pinger.state() == QAbstractSocket::ConnectedState) {
            // Keep no more than a few batches waiting here, so the test holds little itself.
            if (pinger.bytesToWrite() + pinger.encryptedBytesToWrite() < 4 * batch.size()) {
                pinger.write(batch);
                sent += batch.size();
            }
            pinger.waitForBytesWritten(100);
            rssPeak = std::max(rssPeak, residentKiB(pid));
        }
        QVERIFY2(
            pinger.state() != QAbstractSocket::ConnectedState,
            qPrintable(u"still connected after %1 MB of pings, server RSS +%2 MB"_s.arg(sent >> 20)
                           .arg((rssPeak - rssBefore) >> 10)));
        qInfo("sent %lld KiB of pings before the hang-up, RSS peak +%lld KiB", sent >> 10,
              rssPeak - rssBefore);
        QVERIFY2(rssPeak - rssBefore < flack::test::kBoundedGrowthKiB,
                 qPrintable(u"server RSS grew by %1 KiB"_s.arg(rssPeak - rssBefore)));
        QCOMPARE(server.terminate(), 0);
    }

    // With a cluster CA the peer links run over TLS (the HMAC handshake on top): the mesh
    // forms as over plain TCP.
    void peerLinksOverTls()
    {
        LocalCluster cluster(1500,
                             {u"--cluster-ca"_s, file(u"ca.pem"_s), u"--cluster-cert"_s,
                              file(u"server.pem"_s), u"--cluster-key"_s, file(u"server.key"_s)});
        QVERIFY(cluster.startNode(1));
        QVERIFY(cluster.startNode(2));
        QVERIFY(cluster.waitForMesh({1, 2}));
        QVERIFY(cluster.node(1).output().contains(" (TLS)"));
        // SIGHUP renews the links' certificate too; a node that comes back links up with it.
        QCOMPARE(::kill(pid_t(cluster.node(1).process().processId()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(cluster.node(1).output().contains("peer links: reloaded"), 10000);
        QCOMPARE(cluster.terminate(2), 0);
        QVERIFY(cluster.startNode(2));
        QVERIFY(cluster.waitForMesh({1, 2}));
        QCOMPARE(cluster.terminate(2), 0);
        QCOMPARE(cluster.terminate(1), 0);
    }

    // A node whose certificate the cluster CA didn't issue (here: with the right secret, even)
    // fails the TLS handshake before its Hello is read, and stays out.
    void aPeerWithoutAClusterCertificateIsRefused()
    {
        LocalCluster cluster(1500,
                             {u"--cluster-ca"_s, file(u"ca.pem"_s), u"--cluster-cert"_s,
                              file(u"server.pem"_s), u"--cluster-key"_s, file(u"server.key"_s)});
        QVERIFY(cluster.startNode(1));
        ServerProcess rogue({u"--node-name"_s, u"rogue"_s, u"--cluster-listen"_s, u"127.0.0.1:0"_s,
                             u"--peers"_s, cluster.clusterAddress(1), u"--cluster-secret-file"_s,
                             cluster.secretPath(), u"--peer-timeout-ms"_s, u"1500"_s,
                             u"--cluster-ca"_s, file(u"ca.pem"_s), u"--cluster-cert"_s,
                             file(u"rogue.pem"_s), u"--cluster-key"_s, file(u"rogue.key"_s)});
        QVERIFY2(rogue.start(), rogue.output().constData());
        // Node 1 refuses the rogue's certificate (Qt: "The issuer certificate of a locally
        // looked up certificate could not be found"); the link never comes up.
        ServerProcess &node = cluster.node(1);
        static const QRegularExpression refused(u"peer link .* down: .*certificate"_s);
        QDeadlineTimer deadline(15000);
        while (!refused.match(QString::fromUtf8(node.output())).hasMatch() &&
               !deadline.hasExpired())
            node.process().waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        QVERIFY2(refused.match(QString::fromUtf8(node.output())).hasMatch(),
                 node.output().constData());
        QVERIFY2(!node.output().contains("node rogue up"), node.output().constData());
        QVERIFY2(rogue.terminate() == 0, rogue.output().constData());
        QCOMPARE(cluster.terminate(1), 0);
    }

    // SIGHUP reads the certificate and key again: new connections get the renewed
    // certificate, the ones open keep going; files that don't load leave the current one in
    // use. (SIGHUP used to end the server: its default action.)
    void aRenewedCertificateIsTakenOnSighup()
    {
        QByteArray output;
        const QString dir = m_dir.path();
        QVERIFY2(issueCertificate(dir, u"renewed"_s, u"ca"_s, &output), output.constData());
        const auto install = [this](const QString &from, const QString &to) {
            QFile::remove(file(to));
            return QFile::copy(file(from), file(to));
        };
        QVERIFY(install(u"server.pem"_s, u"live.pem"_s));
        QVERIFY(install(u"server.key"_s, u"live.key"_s));
        ServerProcess server({u"--tls-cert"_s, file(u"live.pem"_s), u"--tls-key"_s,
                              file(u"live.key"_s)});
        QVERIFY2(server.start(), server.output().constData());
        const auto presented = [&server, this]() -> QSslCertificate {
            QSslSocket socket;
            socket.setSslConfiguration(trusting(u"ca"_s));
            socket.connectToHostEncrypted(u"127.0.0.1"_s, server.port());
            if (!socket.waitForEncrypted(10000))
                return QSslCertificate();
            return socket.peerCertificate();
        };
        const QSslCertificate original = QSslCertificate::fromPath(file(u"server.pem"_s)).value(0);
        const QSslCertificate renewed = QSslCertificate::fromPath(file(u"renewed.pem"_s)).value(0);
        QVERIFY(!original.isNull() && !renewed.isNull() && original != renewed);
        QCOMPARE(presented(), original);

        WsTestClient staying;
        staying.socket().setSslConfiguration(trusting(u"ca"_s));
        QVERIFY(staying.open(server.chatUrl()));
        QVERIFY(!staying.login(u"staying"_s).isEmpty());

        QVERIFY(install(u"renewed.pem"_s, u"live.pem"_s));
        QVERIFY(install(u"renewed.key"_s, u"live.key"_s));
        QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("reloaded the certificate"), 10000);
        QCOMPARE(presented(), renewed);
        QCOMPARE(staying.join(u"still"_s).value(u"record"_s).toString(), u"chat_state"_s);

        // A broken file: said so, and the renewed certificate stays in use.
        QFile broken(file(u"live.pem"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));
        broken.write("not a certificate\n");
        broken.close();
        QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("reload failed"), 10000);
        QVERIFY2(server.output().contains("no PEM certificate in it"), server.output().constData());
        QCOMPARE(presented(), renewed);
        QVERIFY(staying.isConnected());
        QCOMPARE(server.terminate(), 0);
    }

    // Without TLS, SIGHUP has nothing to reload; the server says so and goes on serving.
    void sighupWithoutTlsKeepsServing()
    {
        ServerProcess server;
        QVERIFY2(server.start(), server.output().constData());
        QCOMPARE(::kill(pid_t(server.process().processId()), SIGHUP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains("nothing to reload"), 10000);
        WsTestClient client;
        QVERIFY(client.open(server.chatUrl()));
        QVERIFY(!client.login(u"after-hup"_s).isEmpty());
        QCOMPARE(server.terminate(), 0);
    }

    void badTlsSettingsStopTheStart_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("reason");
        QTest::newRow("cert without key")
            << QStringList{u"--tls-cert"_s, u"server.pem"_s} << u"--tls-cert needs --tls-key"_s;
        QTest::newRow("key without cert")
            << QStringList{u"--tls-key"_s, u"server.key"_s} << u"--tls-key needs --tls-cert"_s;
        QTest::newRow("missing cert")
            << QStringList{u"--tls-cert"_s, u"missing.pem"_s, u"--tls-key"_s, u"server.key"_s}
            << u"cannot use certificate file 'missing.pem': no such file"_s;
        QTest::newRow("cert file is no certificate")
            << QStringList{u"--tls-cert"_s, u"server.ext"_s, u"--tls-key"_s, u"server.key"_s}
            << u"cannot use certificate file 'server.ext': no PEM certificate in it"_s;
        QTest::newRow("key file is no key")
            << QStringList{u"--tls-cert"_s, u"server.pem"_s, u"--tls-key"_s, u"server.csr"_s}
            << u"cannot use key file 'server.csr': no PEM private key"_s;
        QTest::newRow("cluster CA unclustered")
            << QStringList{u"--cluster-ca"_s, u"ca.pem"_s,    u"--tls-cert"_s,
                           u"server.pem"_s,   u"--tls-key"_s, u"server.key"_s}
            << u"--cluster-ca needs --cluster-listen"_s;
        QTest::newRow("cluster CA without a node certificate")
            << QStringList{u"--cluster-ca"_s,          u"ca.pem"_s,
                           u"--cluster-listen"_s,      u"127.0.0.1:0"_s,
                           u"--cluster-secret-file"_s, u"server.ext"_s}
            << u"--cluster-ca needs this node's certificate and key"_s;
        QTest::newRow("cluster cert without CA")
            << QStringList{u"--cluster-cert"_s, u"server.pem"_s, u"--cluster-key"_s,
                           u"server.key"_s}
            << u"need --cluster-ca"_s;
        QTest::newRow("cluster CA file is no certificate")
            << QStringList{u"--cluster-ca"_s,          u"server.ext"_s,
                           u"--cluster-listen"_s,      u"127.0.0.1:0"_s,
                           u"--cluster-secret-file"_s, u"server.ext"_s,
                           u"--cluster-cert"_s,        u"server.pem"_s,
                           u"--cluster-key"_s,         u"server.key"_s}
            << u"cannot use cluster CA file 'server.ext': no PEM certificate in it"_s;
        QTest::newRow("key of another certificate")
            << QStringList{u"--tls-cert"_s, u"server.pem"_s, u"--tls-key"_s, u"ca.key"_s}
            << u"the key in 'ca.key' does not belong to the certificate in 'server.pem'"_s;
    }

    void badTlsSettingsStopTheStart()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, reason);
        ServerProcess server(arguments);
        server.process().setWorkingDirectory(m_dir.path());
        QVERIFY(!server.start(10000));
        QCOMPARE(server.waitForExit(), 1);
        const QString output = QString::fromUtf8(server.output());
        QVERIFY2(output.contains(reason), qPrintable(output));
        // Whatever went wrong, not a line of the key is shown.
        QFile key(file(u"server.key"_s));
        QVERIFY(key.open(QIODevice::ReadOnly));
        for (const QByteArray &line : key.readAll().split('\n')) {
            if (line.size() > 16 && !line.startsWith("-----"))
                QVERIFY(!server.output().contains(line));
        }
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
