#include "server/net/tlscredentials.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>

namespace flack::server::net {

namespace {

// A chain is a few certificates; a file much larger is not one, and must not be read whole.
constexpr qint64 kMaxCertFileBytes = 1024 * 1024;
constexpr qint64 kMaxKeyFileBytes = 64 * 1024;
// How long the key check may wait for a loopback connection to itself.
constexpr int kSelfConnectMs = 2000;

// The file's bytes, or a reason (never quoting them).
QString readFile(const QString &path, qint64 maxBytes, QByteArray *content)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("no such file");
    QFile file(path);
    if (!info.isFile() || !file.open(QIODevice::ReadOnly))
        return QStringLiteral("not a readable file");
    *content = file.read(maxBytes + 1);
    if (content->size() > maxBytes)
        return QStringLiteral("larger than %1 bytes").arg(maxBytes);
    if (content->isEmpty())
        return QStringLiteral("the file is empty");
    return {};
}

QSslKey parseKey(const QByteArray &pem)
{
    // QSslKey wants the algorithm up front; a PEM "PRIVATE KEY" block doesn't say which.
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

// OpenSSL checks that the key belongs to the certificate only when a TLS context is built,
// that is when a connection starts encrypting: without this check a mismatch would pass
// start-up and then fail every handshake. So start one, as a client presenting the same
// certificate and key, over a loopback connection to ourselves. The context is built (or
// refused) synchronously in startClientEncryption(); nothing is sent before that.
// Returns false only when the check ran and failed.
bool keyMatchesCertificate(const QSslConfiguration &configuration)
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return true; // no loopback here: the first handshake will tell
    QSslSocket socket;
    QSslConfiguration client = configuration;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.setSslConfiguration(client);
    socket.connectToHost(QHostAddress::LocalHost, probe.serverPort());
    if (!socket.waitForConnected(kSelfConnectMs))
        return true;
    socket.startClientEncryption();
    // Qt 6.4 reports a context it could not build as an internal error ("Unable to init SSL
    // Context"), later versions as invalid user data.
    const QAbstractSocket::SocketError error = socket.error();
    const bool refused = error == QAbstractSocket::SslInternalError ||
                         error == QAbstractSocket::SslInvalidUserDataError;
    socket.abort();
    return !refused;
}

} // namespace

QString loadServerTls(const QString &certFile, const QString &keyFile,
                      QSslConfiguration *configuration)
{
    if (!QSslSocket::supportsSsl())
        return QStringLiteral("this build of Qt has no TLS backend (is OpenSSL installed?)");
    QByteArray certPem;
    if (const QString problem = readFile(certFile, kMaxCertFileBytes, &certPem); !problem.isEmpty())
        return QStringLiteral("cannot use certificate file '%1': %2").arg(certFile, problem);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return QStringLiteral("cannot use certificate file '%1': no PEM certificate in it")
            .arg(certFile);

    QByteArray keyPem;
    if (const QString problem = readFile(keyFile, kMaxKeyFileBytes, &keyPem); !problem.isEmpty())
        return QStringLiteral("cannot use key file '%1': %2").arg(keyFile, problem);
    if (keyPem.contains("ENCRYPTED"))
        return QStringLiteral("cannot use key file '%1': the key is protected by a passphrase, "
                              "which the server can't ask for; store it decrypted (openssl pkey) "
                              "in a file only the server can read")
            .arg(keyFile);
    const QSslKey key = parseKey(keyPem);
    // The bytes that failed to parse are the key, or close to it: not a word of them.
    keyPem.fill('\0');
    if (key.isNull())
        return QStringLiteral("cannot use key file '%1': no PEM private key (RSA, EC or DSA) "
                              "in it")
            .arg(keyFile);

    QSslConfiguration result = QSslConfiguration::defaultConfiguration();
    result.setLocalCertificateChain(chain);
    result.setPrivateKey(key);
    result.setProtocol(QSsl::TlsV1_2OrLater);
    // Clients are not asked for certificates: they authenticate in the chat protocol.
    result.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!keyMatchesCertificate(result))
        return QStringLiteral("the key in '%1' does not belong to the certificate in '%2'")
            .arg(keyFile, certFile);
    *configuration = result;
    return {};
}

QString loadPeerTls(const QString &caFile, const QString &certFile, const QString &keyFile,
                    QSslConfiguration *configuration)
{
    QSslConfiguration result;
    if (const QString problem = loadServerTls(certFile, keyFile, &result); !problem.isEmpty())
        return problem;
    QByteArray caPem;
    if (const QString problem = readFile(caFile, kMaxCertFileBytes, &caPem); !problem.isEmpty())
        return QStringLiteral("cannot use cluster CA file '%1': %2").arg(caFile, problem);
    const QList<QSslCertificate> authorities = QSslCertificate::fromData(caPem, QSsl::Pem);
    if (authorities.isEmpty() || authorities.first().isNull())
        return QStringLiteral("cannot use cluster CA file '%1': no PEM certificate in it")
            .arg(caFile);
    // Only the cluster's CA: a certificate from any public CA must not make a peer.
    result.setCaCertificates(authorities);
    result.setPeerVerifyMode(QSslSocket::VerifyPeer);
    *configuration = result;
    return {};
}

} // namespace flack::server::net
