#pragma once
// The server's TLS identity (--tls-cert, --tls-key) as the listener uses it: a certificate chain
// and its private key, read from PEM files once at start-up. Errors name the file and what is
// wrong with it, never what it contains (a key file's bytes are the key).
// Used on the main thread by ConfigLoader; the result is copied into the listener's settings.

#include <QSslConfiguration>
#include <QString>

namespace flack::server::net {

// Reads the PEM certificate chain (leaf first, then any intermediates) in certFile and the
// unencrypted PEM private key (RSA, EC or DSA) in keyFile, and checks that the key belongs to
// the certificate. On success fills *configuration with what a TLS server socket needs and
// returns an empty string; otherwise returns a one-line reason naming the file.
QString loadServerTls(const QString &certFile, const QString &keyFile,
                      QSslConfiguration *configuration);

// The peer links' TLS (--cluster-ca): this node's certificate and key as loadServerTls() reads
// them, plus the cluster CA's PEM certificate(s) in caFile, which every peer's certificate must
// be issued by, both ways (a node dialing presents its certificate too).
QString loadPeerTls(const QString &caFile, const QString &certFile, const QString &keyFile,
                    QSslConfiguration *configuration);

} // namespace flack::server::net
