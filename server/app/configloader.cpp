#include "server/app/configloader.h"

#include "server/app/eventdispatcherchoice.h"

#include "server/net/originpolicy.h"
#include "server/net/tlscredentials.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>

#include <algorithm>
#include <array>
#include <functional>
#include <optional>

namespace flack::server::app {

namespace {

// The shortest secret accepted: shorter ones are guessable by whoever can reach the cluster
// port or the admin endpoint.
constexpr qsizetype kMinSecretBytes = 16;
// A secret file is a few bytes; anything much bigger is the wrong file.
constexpr qint64 kMaxSecretFileBytes = 4096;
// As much of a TLS key file as is read to redact errors (tlscredentials.cpp refuses bigger).
constexpr qint64 kMaxKeyFileBytes = 64 * 1024;
constexpr qsizetype kMaxNodeNameBytes = 255;
constexpr qsizetype kMaxPeers = 64;

using Apply = std::function<QString(ServerConfig &, const QString &)>;

// A secret setting: its value is given only in the environment variable of its name
// (FLACK_CLUSTER_SECRET) or in a file named by its companion setting (cluster-secret-file),
// because a command line is visible to every local user and a config file tends to be
// world-readable and copied around. Its value is never echoed in an error.
struct Secret
{
    const char *name;     // refused as an option and as an INI key
    const char *fileName; // the setting that names a file holding the secret
    const char *what;     // as errors name it: "cluster secret"
    const char *noun;     // the short form: "secret"
    QByteArray ServerConfig::*field;
};

constexpr Secret kClusterSecret{"cluster-secret", "cluster-secret-file", "cluster secret", "secret",
                                &ServerConfig::clusterSecret};
constexpr Secret kAdminToken{"admin-token", "admin-token-file", "admin token", "token",
                             &ServerConfig::adminToken};
constexpr std::array<const Secret *, 2> kSecrets{&kClusterSecret, &kAdminToken};

// One setting: its option name (also its INI key), its environment variable and how a text
// value is checked and stored. Returns an error description, or an empty string.
// A setting with a secret exists only in the environment; see Secret.
struct Setting
{
    const char *name;
    const char *valueName;
    const char *description;
    Apply apply;
    const Secret *secret = nullptr;
};

template <typename Field> Apply integer(Field ServerConfig::*field, qint64 min, qint64 max)
{
    return [=](ServerConfig &config, const QString &value) {
        bool ok = false;
        const qint64 number = value.trimmed().toLongLong(&ok);
        if (!ok || number < min || number > max)
            return QStringLiteral("expected an integer from %1 to %2").arg(min).arg(max);
        config.*field = Field(number);
        return QString();
    };
}

// A switch: on the command line given or not; in the environment and the INI file a word.
Apply boolean(bool ServerConfig::*field)
{
    return [=](ServerConfig &config, const QString &value) {
        const QString word = value.trimmed().toLower();
        if (word == u"true" || word == u"1" || word == u"on" || word == u"yes")
            config.*field = true;
        else if (word == u"false" || word == u"0" || word == u"off" || word == u"no")
            config.*field = false;
        else
            return QStringLiteral("expected true or false");
        return QString();
    };
}

// "host:port" as --cluster-listen and --peers take it: an IPv4 address, an IPv6 address in
// brackets or a DNS name, then a decimal port from minPort to 65535. Returns a reason, or an
// empty string with host (IPv6 without brackets) and port filled.
QString parseHostPort(const QString &text, quint16 minPort, QString *host, quint16 *port)
{
    QString hostPart;
    QString portPart;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0 || close + 1 >= text.size() || text.at(close + 1) != u':')
            return QStringLiteral("expected [IPV6-ADDRESS]:PORT");
        hostPart = text.mid(1, close - 1);
        portPart = text.mid(close + 2);
        QHostAddress address;
        if (!address.setAddress(hostPart) || address.protocol() != QAbstractSocket::IPv6Protocol)
            return QStringLiteral("not an IPv6 address in the brackets");
    } else {
        const qsizetype colon = text.lastIndexOf(u':');
        if (colon < 0)
            return QStringLiteral("expected HOST:PORT");
        hostPart = text.left(colon);
        portPart = text.mid(colon + 1);
        if (hostPart.isEmpty())
            return QStringLiteral("expected HOST:PORT, the host is missing");
        if (hostPart.contains(u':'))
            return QStringLiteral("an IPv6 address goes in brackets, as in [::1]:9000");
        const bool numeric = std::all_of(hostPart.cbegin(), hostPart.cend(), [](QChar c) {
            return c == u'.' || (c >= u'0' && c <= u'9');
        });
        if (numeric) {
            // QHostAddress also takes "127.1" and "1"; a peer list wants the usual form.
            QHostAddress address;
            if (hostPart.count(u'.') != 3 || !address.setAddress(hostPart))
                return QStringLiteral("not an IPv4 address");
        } else {
            // A DNS name (RFC 1123): labels of letters, digits and inner hyphens.
            if (hostPart.size() > 253)
                return QStringLiteral("host name longer than 253 characters");
            const QStringList labels = hostPart.split(u'.');
            for (const QString &label : labels) {
                const bool valid = !label.isEmpty() && label.size() <= 63 &&
                                   !label.startsWith(u'-') && !label.endsWith(u'-') &&
                                   std::all_of(label.cbegin(), label.cend(), [](QChar c) {
                                       return c == u'-' || (c >= u'0' && c <= u'9') ||
                                              (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
                                   });
                if (!valid)
                    return QStringLiteral("not a valid host name or address");
            }
        }
    }
    const bool digits = !portPart.isEmpty() && portPart.size() <= 5 &&
                        std::all_of(portPart.cbegin(), portPart.cend(),
                                    [](QChar c) { return c >= u'0' && c <= u'9'; });
    const uint number = digits ? portPart.toUInt() : 0;
    if (!digits || number < minPort || number > 65535)
        return QStringLiteral("expected a port number from %1 to 65535").arg(minPort);
    *host = hostPart;
    *port = quint16(number);
    return {};
}

// What a secret file holds, or a reason it can't be used. The reason never quotes the content.
// noun names the secret in the reason ("secret", "token").
QString readSecretFile(const QString &path, const char *noun, QByteArray *secret)
{
    QFile file(path);
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("no such file");
    if (!info.isFile() || !file.open(QIODevice::ReadOnly))
        return QStringLiteral("not a readable file");
    QByteArray content = file.read(kMaxSecretFileBytes + 1);
    if (content.size() > kMaxSecretFileBytes)
        return QStringLiteral("larger than %1 bytes, not a secret file").arg(kMaxSecretFileBytes);
    // Editors and "echo secret > file" end the file with a newline that is not meant as part
    // of the secret.
    while (content.endsWith('\n') || content.endsWith('\r'))
        content.chop(1);
    if (content.isEmpty())
        return QStringLiteral("the file is empty");
    if (content.size() < kMinSecretBytes)
        return QStringLiteral("the %1 in it is shorter than %2 bytes")
            .arg(QString::fromLatin1(noun))
            .arg(kMinSecretBytes);
    *secret = content;
    return {};
}

// The setting naming the file that holds a secret. The file name may appear in errors.
Setting secretFileSetting(const Secret &secret, const char *description)
{
    return {secret.fileName, "FILE", description,
            [&secret](ServerConfig &config, const QString &value) {
                return readSecretFile(value, secret.noun, &(config.*secret.field));
            }};
}

// The secret itself, from the environment only.
Setting secretSetting(const Secret &secret)
{
    return {secret.name, nullptr, nullptr,
            [&secret](ServerConfig &config, const QString &value) {
                QByteArray bytes = value.toUtf8();
                while (bytes.endsWith('\n') || bytes.endsWith('\r'))
                    bytes.chop(1);
                if (bytes.size() < kMinSecretBytes)
                    return QStringLiteral("the %1 must be at least %2 bytes")
                        .arg(QString::fromLatin1(secret.what))
                        .arg(kMinSecretBytes);
                config.*secret.field = bytes;
                return QString();
            },
            &secret};
}

const std::vector<Setting> &settings()
{
    static const std::vector<Setting> table = {
        {"port", "PORT", "TCP port for HTTP and websockets (0 picks a free one). Default 8080.",
         [](ServerConfig &config, const QString &value) {
             bool ok = false;
             const uint port = value.trimmed().toUInt(&ok);
             if (!ok || port > 65535)
                 return QStringLiteral("expected a port number from 0 to 65535");
             config.port = quint16(port);
             return QString();
         }},
        {"bind", "ADDRESS", "Address to listen on. Default: all addresses.",
         [](ServerConfig &config, const QString &value) {
             const QString text = value.trimmed();
             QHostAddress address;
             if (text == u"localhost")
                 address = QHostAddress(QHostAddress::LocalHost);
             else if (text == u"*" || text == u"any")
                 address = QHostAddress(QHostAddress::Any);
             else if (!address.setAddress(text))
                 return QStringLiteral("expected an IPv4 or IPv6 address");
             config.bindAddress = address;
             return QString();
         }},
        {"web-root", "DIR",
         "Serve the web client from this directory instead of the copy built into the server.",
         [](ServerConfig &config, const QString &value) {
             const QFileInfo info(value);
             if (!info.isDir() || !info.isReadable())
                 return QStringLiteral("not a readable directory");
             config.webRoot = info.absoluteFilePath();
             return QString();
         }},
        {"idle-timeout", "SECONDS",
         "Close connections that send nothing for this long (0 = never). Default 60.",
         [](ServerConfig &config, const QString &value) {
             bool ok = false;
             const int seconds = value.trimmed().toInt(&ok);
             if (!ok || seconds < 0 || seconds > 86400)
                 return QStringLiteral("expected whole seconds from 0 to 86400");
             config.idleTimeoutSeconds = seconds;
             return QString();
         }},
        {"max-message-bytes", "N",
         "Largest chat message accepted (CHAT_LIMIT-001 up to twice this, then close 1009). "
         "Default 65536.",
         integer(&ServerConfig::maxMessageBytes, 256, 64 * 1024 * 1024)},
        {"max-connections", "N",
         "Connections held at once; beyond it new ones get 503. Default 10000.",
         integer(&ServerConfig::maxConnections, 1, 1000000)},
        {"max-name-bytes", "N", "Longest user or chat name, in UTF-8 bytes. Default 256.",
         integer(&ServerConfig::maxNameBytes, 1, 65536)},
        {"max-chats-per-connection", "N", "Chats one connection may join. Default 1000.",
         integer(&ServerConfig::maxChatsPerConnection, 1, 1000000)},
        {"max-rooms", "N",
         "Chats this server holds at once; new ones beyond it are refused. "
         "Default 100000.",
         integer(&ServerConfig::maxRooms, 1, 100000000)},
        {"max-queued-bytes", "N",
         "Unsent data a client may keep waiting; over it, it must show it reads within 2 s "
         "(over twice it, it goes at once). Default 8388608.",
         integer(&ServerConfig::maxQueuedBytes, 65536, qint64(1) << 32)},
        {"max-messages-per-second", "N",
         "Messages one connection may send per second, after its burst; beyond it reading "
         "pauses, and 4 s over it is CHAT_LIMIT-005 (0 = unlimited). Default 20.",
         integer(&ServerConfig::maxMessagesPerSecond, 0, 1000000)},
        {"message-burst", "N",
         "Messages one connection may send at once before its rate applies. Default 60.",
         integer(&ServerConfig::messageBurst, 1, 1000000)},
        {"signed-user-ids", nullptr,
         "Issue user ids with an HMAC tag and give a fresh id to an authenticate whose id "
         "this server (or cluster) did not issue. Default false.",
         boolean(&ServerConfig::signedUserIds)},
        {"allowed-origins", "ORIGIN,...",
         "Browser origins besides the web client's own that may open websockets, e.g. "
         "https://chat.example.com (comma-separated); others get 403. Default: none.",
         [](ServerConfig &config, const QString &value) {
             QStringList origins;
             for (const QString &entry : value.split(u',', Qt::SkipEmptyParts)) {
                 const QString text = entry.trimmed();
                 if (text.isEmpty())
                     continue;
                 QString problem;
                 const QByteArray normal = net::OriginPolicy::normalize(text.toUtf8(), &problem);
                 if (normal.isEmpty())
                     return QStringLiteral("origin '%1': %2").arg(text.left(100), problem);
                 origins.append(QString::fromLatin1(normal));
             }
             config.allowedOrigins = origins;
             return QString();
         }},
        {"max-connections-per-address", "N",
         "Connections one IPv4 address (or IPv6 /64) may hold at once; beyond it new ones get "
         "429. Default 1000.",
         integer(&ServerConfig::maxConnectionsPerAddress, 1, 1000000)},
        {"max-pending-connections", "N",
         "Connections not yet authenticated held at once; beyond it a newcomer replaces the "
         "oldest of them. Default 1000.",
         integer(&ServerConfig::maxPendingConnections, 1, 1000000)},
        {"handshake-timeout-ms", "MS",
         "Time a new connection has to send its HTTP request or websocket upgrade (its TLS "
         "handshake included). Default 10000.",
         integer(&ServerConfig::handshakeTimeoutMs, 100, 600000)},
        {"auth-timeout-seconds", "SECONDS",
         "Time a chat connection has from its websocket handshake to authenticating; later it "
         "gets CHAT_LIMIT-006 and is closed. Default 10.",
         integer(&ServerConfig::authTimeoutSeconds, 1, 3600)},
        {"coalesce-writes-ms", "MS",
         "A connection that was written to less than this ago holds its next chat frames "
         "until this much has passed, and sends them in one write (fewer, larger TCP "
         "segments; at most this much added latency). 0 sends each at once, and frames "
         "given in one pass of the event loop still share a write. Default 0.",
         integer(&ServerConfig::coalesceWritesMs, 0, 100)},
        {"presence-window-ms", "MS",
         "The same for joined/left events: a connection written to less than this ago holds "
         "them until this much has passed (a room filling up sends each member one per "
         "newcomer; they share a write). A chat message sent meanwhile takes them along. "
         "While 256 or more connections hold them at once the window doubles, up to 4 times "
         "this. 0 sends each at once. Default 250.",
         integer(&ServerConfig::presenceWindowMs, 0, 1000)},
        {"threads", "N",
         "Threads that carry chat connections. 1: everything on the main thread. 2 or more: "
         "connections are spread over that many worker threads, each with its own event "
         "loop, and the main thread keeps the rooms' owners, the cluster and the admin "
         "endpoint. Default 1.",
         integer(&ServerConfig::threads, 1, 64)},
        {"tls-cert", "FILE",
         "Serve https:// and wss:// instead of http:// and ws://, with the PEM certificate "
         "(chain) in this file and its key in tls-key. Default: plain HTTP.",
         [](ServerConfig &config, const QString &value) {
             if (value.isEmpty())
                 return QStringLiteral("expected a file name");
             config.tlsCertFile = value;
             return QString();
         }},
        {"tls-key", "FILE",
         "The unencrypted PEM private key of the tls-cert certificate, read once at start-up "
         "(keep it readable by the server only).",
         [](ServerConfig &config, const QString &value) {
             if (value.isEmpty())
                 return QStringLiteral("expected a file name");
             config.tlsKeyFile = value;
             return QString();
         }},
        {"log-level", "LEVEL", "debug, info, warning or error. Default info.",
         [](ServerConfig &config, const QString &value) {
             const QString level = value.trimmed().toLower();
             if (level != u"debug" && level != u"info" && level != u"warning" && level != u"error")
                 return QStringLiteral("expected debug, info, warning or error");
             config.logLevel = level;
             return QString();
         }},
        {"event-loop", "KIND",
         "The main thread's event loop: epoll (Linux only; O(1) per socket change, hears only "
         "of ready sockets) or qt (Qt's own Unix dispatcher, whose cost per pass grows with the "
         "number of open sockets). Default epoll on Linux, qt elsewhere.",
         [](ServerConfig &config, const QString &value) {
             QString problem;
             if (const auto kind = EventDispatcherChoice::parse(value, &problem))
                 config.eventDispatcher = *kind;
             return problem;
         }},
        {"node-name", "NAME",
         "This node's name, unique in the cluster (up to 255 bytes, no spaces or '/'). "
         "Default: host:port of the HTTP listener.",
         [](ServerConfig &config, const QString &value) {
             const QString name = value.trimmed();
             if (name.isEmpty() || name.toUtf8().size() > kMaxNodeNameBytes)
                 return QStringLiteral("expected 1 to %1 bytes").arg(kMaxNodeNameBytes);
             const QList<uint> codePoints = name.toUcs4();
             for (const uint c : codePoints) {
                 if (!QChar::isPrint(c) || QChar::isSpace(c) || c == u'/')
                     return QStringLiteral("no spaces, '/' or control characters allowed");
             }
             config.nodeName = name;
             return QString();
         }},
        {"cluster-listen", "ADDRESS:PORT",
         "Accept peer nodes here, e.g. 10.0.0.5:9090 or [::1]:9090 (port 0 picks a free one). "
         "Needs a cluster secret. Default: not clustered.",
         [](ServerConfig &config, const QString &value) {
             QString host;
             quint16 port = 0;
             const QString problem = parseHostPort(value.trimmed(), 0, &host, &port);
             if (!problem.isEmpty())
                 return problem;
             config.clusterListenHost = host;
             config.clusterListenPort = port;
             config.clusterListenSet = true;
             return QString();
         }},
        {"peers", "HOST:PORT,...",
         "Cluster-listen addresses of other nodes to join (up to 64, comma-separated). Needs "
         "--cluster-listen and a cluster secret.",
         [](ServerConfig &config, const QString &value) {
             const QStringList entries = value.split(u',');
             if (entries.size() > kMaxPeers)
                 return QStringLiteral("more than %1 peers").arg(kMaxPeers);
             QList<ServerConfig::PeerAddress> peers;
             for (const QString &entry : entries) {
                 const QString text = entry.trimmed();
                 if (text.isEmpty())
                     return QStringLiteral("empty entry in the list");
                 ServerConfig::PeerAddress peer;
                 const QString problem = parseHostPort(text, 1, &peer.host, &peer.port);
                 if (!problem.isEmpty())
                     return QStringLiteral("peer '%1': %2").arg(text.left(100), problem);
                 if (peers.contains(peer))
                     return QStringLiteral("peer '%1' is listed twice").arg(text.left(100));
                 peers.append(peer);
             }
             config.peers = peers;
             return QString();
         }},
        secretFileSetting(
            kClusterSecret,
            "Read the secret shared by all nodes from this file (at least 16 bytes; a trailing "
            "newline is ignored). Or set the secret itself in FLACK_CLUSTER_SECRET; it is never "
            "taken from the command line."),
        secretSetting(kClusterSecret),
        {"cluster-ca", "FILE",
         "Run the links between nodes over TLS, each node verifying the others' certificates "
         "against the PEM CA certificate in this file. The node's own certificate and key: "
         "cluster-cert and cluster-key, or else tls-cert and tls-key. Default: plain TCP.",
         [](ServerConfig &config, const QString &value) {
             if (value.isEmpty())
                 return QStringLiteral("expected a file name");
             config.clusterCaFile = value;
             return QString();
         }},
        {"cluster-cert", "FILE",
         "This node's PEM certificate (chain) for the peer links, issued by the cluster CA. "
         "Default: the tls-cert one.",
         [](ServerConfig &config, const QString &value) {
             if (value.isEmpty())
                 return QStringLiteral("expected a file name");
             config.clusterCertFile = value;
             return QString();
         }},
        {"cluster-key", "FILE",
         "The unencrypted PEM private key of the cluster-cert certificate. Default: the tls-key "
         "one.",
         [](ServerConfig &config, const QString &value) {
             if (value.isEmpty())
                 return QStringLiteral("expected a file name");
             config.clusterKeyFile = value;
             return QString();
         }},
        {"peer-timeout-ms", "MS",
         "A peer node silent for this long is considered gone. Default 3000.",
         integer(&ServerConfig::peerTimeoutMs, 100, 600000)},
        secretFileSetting(
            kAdminToken,
            "Enables the /admin endpoint (flack-admin) with the token read from this file (at "
            "least 16 bytes). Or set the token in FLACK_ADMIN_TOKEN. Without one, /admin "
            "answers 403."),
        secretSetting(kAdminToken),
    };
    return table;
}

QString environmentName(const char *settingName)
{
    return QStringLiteral("FLACK_") +
           QString::fromLatin1(settingName).toUpper().replace(u'-', u'_');
}

const Setting *findSetting(QStringView name)
{
    const auto found = std::find_if(settings().begin(), settings().end(), [&](const Setting &s) {
        return name == QLatin1StringView(s.name);
    });
    return found == settings().end() ? nullptr : &*found;
}

ConfigResult error(QString text)
{
    ConfigResult result;
    result.outcome = ConfigResult::Outcome::Error;
    result.text = QStringLiteral("flack-server: ") + text;
    return result;
}

// A value as an error may quote it: bounded, and on one line whatever it contains.
QString quoted(const QString &value)
{
    QString text = value.left(200);
    for (QChar &c : text) {
        if (!c.isPrint())
            c = u'?';
    }
    return text;
}

QString applyOne(ServerConfig &config, const Setting &setting, const QString &value,
                 const QString &source)
{
    const QString problem = setting.apply(config, value);
    if (problem.isEmpty())
        return {};
    if (setting.secret)
        return QStringLiteral("invalid %1 (%2): %3")
            .arg(QString::fromLatin1(setting.name), source, problem);
    return QStringLiteral("invalid value '%1' for %2 (%3): %4")
        .arg(quoted(value), QString::fromLatin1(setting.name), source, problem);
}

// A secret must not be passed as an argument: every local user can read a process's command
// line. Scanned before parsing so that even a "--cluster-secret" missing its value gets this
// explanation rather than a generic one. Returns the first secret found, or null.
const Secret *secretOnCommandLine(const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--")
            break;
        QStringView name(argument);
        if (name.startsWith(u"--"))
            name = name.mid(2);
        else if (name.startsWith(u'-'))
            name = name.mid(1); // single-dash long options are accepted too
        else
            continue;
        const qsizetype equals = name.indexOf(u'=');
        name = name.left(equals < 0 ? name.size() : equals);
        for (const Secret *secret : kSecrets) {
            if (name == QLatin1StringView(secret->name))
                return secret;
        }
    }
    return nullptr;
}

QString iniValue(const QSettings &file, const QString &key)
{
    // QSettings splits an unquoted value at commas ("peers=a:1,b:2"); put it back together.
    const QVariant value = file.value(key);
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList().join(u',');
    return value.toString();
}

// Every value that may be a secret, read before any setting is applied, so that no error can
// show one even by accident: a secret file given as --config, a secret pasted into the INI
// file as a line of its own.
QList<QByteArray> possibleSecrets(const QStringList &secretFiles,
                                  const QProcessEnvironment &environment)
{
    QList<QByteArray> secrets;
    for (const Secret *secret : kSecrets) {
        const QString variable = environmentName(secret->name);
        if (environment.contains(variable))
            secrets.append(environment.value(variable).toUtf8());
    }
    for (const QString &path : secretFiles) {
        // Only regular files, as readSecretFile accepts: reading a pipe here would block.
        QFile file(path);
        if (path.isEmpty() || !QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly))
            continue;
        secrets.append(file.read(kMaxSecretFileBytes));
    }
    for (QByteArray &secret : secrets) {
        while (secret.endsWith('\n') || secret.endsWith('\r'))
            secret.chop(1);
    }
    return secrets;
}

QString redacted(QString text, const QList<QByteArray> &secrets)
{
    // Very short values would match ordinary words of the message; they are refused as
    // secrets anyway and none of the messages quotes a secret on purpose.
    constexpr qsizetype kShortest = kMinSecretBytes / 2;
    for (const QByteArray &bytes : secrets) {
        if (bytes.size() < kShortest)
            continue;
        const QString secret = QString::fromUtf8(bytes);
        text.replace(secret, QStringLiteral("<secret>"));
        // Errors quote values in '...'; a quoted part of a secret is as bad (an INI key is a
        // secret line up to its '=').
        static const QRegularExpression quotedPart(QStringLiteral("'([^']*)'"));
        QRegularExpressionMatchIterator matches = quotedPart.globalMatch(text);
        QStringList parts;
        while (matches.hasNext()) {
            const QString part = matches.next().captured(1);
            if (part.size() >= kShortest && secret.contains(part))
                parts.append(part);
        }
        for (const QString &part : std::as_const(parts))
            text.replace(u'\'' + part + u'\'', QStringLiteral("'<secret>'"));
    }
    return text;
}

ConfigResult loadSettings(const QStringList &arguments, const QProcessEnvironment &environment,
                          QList<QByteArray> *secrets)
{
    if (const Secret *secret = secretOnCommandLine(arguments))
        return error(QStringLiteral("the %1 is not accepted on the command line (other users can "
                                    "see it there): put it in a file given with --%2, or in the "
                                    "environment as %3")
                         .arg(QString::fromLatin1(secret->what),
                              QString::fromLatin1(secret->fileName),
                              environmentName(secret->name)));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Flack chat server: serves the web client over HTTP and the chat "
                       "protocol over websockets at /chat-server, on one port.\n"
                       "Every option can also be set as FLACK_<OPTION> in the environment "
                       "(e.g. FLACK_PORT) or as <option>=value in the --config INI file; "
                       "precedence: command line > environment > file > default.\n"
                       "Clustering: give each node --cluster-listen, the others' addresses in "
                       "--peers and the same secret (--cluster-secret-file or "
                       "FLACK_CLUSTER_SECRET). Without them the server runs alone."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption configFile(QStringLiteral("config"),
                                        QStringLiteral("Read settings from this INI file."),
                                        QStringLiteral("FILE"));
    parser.addOption(help);
    parser.addOption(version);
    parser.addOption(configFile);
    for (const Setting &setting : settings()) {
        if (setting.secret)
            continue;
        if (!setting.valueName) // a switch: given means on
            parser.addOption(QCommandLineOption(QString::fromLatin1(setting.name),
                                                QString::fromLatin1(setting.description)));
        else
            parser.addOption(QCommandLineOption(QString::fromLatin1(setting.name),
                                                QString::fromLatin1(setting.description),
                                                QString::fromLatin1(setting.valueName)));
    }

    if (!parser.parse(arguments))
        return error(parser.errorText() + QStringLiteral(" (see --help)"));
    if (!parser.positionalArguments().isEmpty())
        return error(QStringLiteral("unexpected argument '%1' (see --help)")
                         .arg(quoted(parser.positionalArguments().constFirst())));
    if (parser.isSet(help) || parser.isSet(version)) {
        ConfigResult result;
        result.outcome = ConfigResult::Outcome::ShowText;
        result.text = parser.isSet(help)
                          ? parser.helpText()
                          : QStringLiteral("flack-server %1\n").arg(QStringLiteral(FLACK_VERSION));
        return result;
    }

    for (const Secret *secret : kSecrets) {
        const QString variable = environmentName(secret->name);
        const QString fileVariable = environmentName(secret->fileName);
        if (environment.contains(variable) && environment.contains(fileVariable))
            return error(
                QStringLiteral("both %1 and %2 are set: set only one").arg(variable, fileVariable));
    }

    QString filePath = environment.value(QStringLiteral("FLACK_CONFIG"));
    if (parser.isSet(configFile))
        filePath = parser.value(configFile);
    std::optional<QSettings> file;
    if (!filePath.isEmpty()) {
        const QFileInfo info(filePath);
        if (!info.exists())
            return error(
                QStringLiteral("cannot read config file '%1': no such file").arg(filePath));
        if (!info.isFile() || !info.isReadable())
            return error(
                QStringLiteral("cannot read config file '%1': not a readable file").arg(filePath));
        // A key file given as --config would have its lines quoted back as unknown settings.
        if (QFile probe(filePath); probe.open(QIODevice::ReadOnly) &&
                                   probe.read(kMaxKeyFileBytes).contains("PRIVATE KEY-----"))
            return error(QStringLiteral("cannot read config file '%1': it holds a private key, "
                                        "not settings")
                             .arg(filePath));
        file.emplace(filePath, QSettings::IniFormat);
        if (file->status() != QSettings::NoError)
            return error(
                QStringLiteral("cannot read config file '%1': not a valid INI file").arg(filePath));
    }

    // Every file that may hold a secret, from every source, whether or not it wins.
    QList<std::pair<const Secret *, QString>> secretFiles;
    for (const Secret *secret : kSecrets) {
        const QString option = QString::fromLatin1(secret->fileName);
        secretFiles.append({secret, parser.value(option)});
        secretFiles.append({secret, environment.value(environmentName(secret->fileName))});
        if (file) {
            secretFiles.append({secret, iniValue(*file, option)});
            secretFiles.append({secret, iniValue(*file, QStringLiteral("server/") + option)});
        }
    }
    QStringList secretPaths;
    for (const auto &[secret, path] : std::as_const(secretFiles))
        secretPaths.append(path);
    *secrets = possibleSecrets(secretPaths, environment);
    // A TLS key file is a secret too, only a longer one (and its name may be given anywhere):
    // whatever an error might quote from it — a key file passed as --config, say — is redacted.
    QStringList keyFiles;
    for (const char *name : {"tls-key", "cluster-key"}) {
        const QString option = QString::fromLatin1(name);
        keyFiles.append(parser.value(option));
        keyFiles.append(environment.value(environmentName(name)));
        if (file) {
            keyFiles.append(iniValue(*file, option));
            keyFiles.append(iniValue(*file, QStringLiteral("server/") + option));
        }
    }
    for (const QString &path : std::as_const(keyFiles)) {
        QFile keyFile(path);
        if (path.isEmpty() || !QFileInfo(path).isFile() || !keyFile.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> lines = keyFile.read(kMaxKeyFileBytes).split('\n');
        for (QByteArray line : lines) {
            while (line.endsWith('\r'))
                line.chop(1);
            if (!line.isEmpty())
                secrets->append(line);
        }
        if (file && QFileInfo(path).canonicalFilePath() == QFileInfo(filePath).canonicalFilePath())
            return error(QStringLiteral("config file '%1' is also the TLS key file; keep the key "
                                        "in a file of its own")
                             .arg(filePath));
    }
    if (file) {
        const QString canonical = QFileInfo(filePath).canonicalFilePath();
        for (const auto &[secret, path] : std::as_const(secretFiles)) {
            if (!path.isEmpty() && QFileInfo(path).canonicalFilePath() == canonical)
                return error(QStringLiteral("config file '%1' is also the %2 file; keep the %3 in "
                                            "a file of its own")
                                 .arg(filePath, QString::fromLatin1(secret->what),
                                      QString::fromLatin1(secret->noun)));
        }
    }

    ServerConfig config;

    // Lowest precedence first: file, then environment, then command line.
    if (file) {
        const QStringList keys = file->allKeys();
        for (const QString &key : keys) {
            // Settings may sit at the top of the file or in a [server] section.
            const QString name = key.startsWith(u"server/") ? key.mid(7) : key;
            const Setting *setting = findSetting(name);
            if (!setting)
                return error(QStringLiteral("config file '%1': unknown setting '%2'")
                                 .arg(filePath, quoted(key)));
            if (const Secret *secret = setting->secret)
                return error(QStringLiteral("config file '%1': the %2 is not accepted in a config "
                                            "file; put it in a file named by %3, or set %4")
                                 .arg(filePath, QString::fromLatin1(secret->what),
                                      QString::fromLatin1(secret->fileName),
                                      environmentName(secret->name)));
            const QString problem = applyOne(config, *setting, iniValue(*file, key),
                                             QStringLiteral("in %1").arg(filePath));
            if (!problem.isEmpty())
                return error(problem);
        }
    }
    for (const Setting &setting : settings()) {
        const QString variable = environmentName(setting.name);
        if (!environment.contains(variable))
            continue;
        const QString problem = applyOne(config, setting, environment.value(variable),
                                         QStringLiteral("from %1").arg(variable));
        if (!problem.isEmpty())
            return error(problem);
    }
    for (const Setting &setting : settings()) {
        const QString name = QString::fromLatin1(setting.name);
        if (setting.secret || !parser.isSet(name))
            continue;
        const QString value = setting.valueName ? parser.value(name) : QStringLiteral("true");
        const QString problem = applyOne(config, setting, value, QStringLiteral("--%1").arg(name));
        if (!problem.isEmpty())
            return error(problem);
    }

    // Rules across settings, checked on the result so every source counts alike.
    if (!config.peers.isEmpty() && !config.clusterListenSet)
        return error(QStringLiteral("--peers needs --cluster-listen as well: the peers must be "
                                    "able to connect back to this node"));
    if (config.clustered() && config.clusterSecret.isEmpty())
        return error(QStringLiteral(
            "--cluster-listen and --peers need the secret shared by the cluster's nodes: set "
            "--cluster-secret-file FILE or FLACK_CLUSTER_SECRET"));

    if (config.tlsCertFile.isEmpty() != config.tlsKeyFile.isEmpty())
        return error(config.tlsKeyFile.isEmpty()
                         ? QStringLiteral("--tls-cert needs --tls-key: the private key of the "
                                          "certificate")
                         : QStringLiteral("--tls-key needs --tls-cert: the certificate the key "
                                          "belongs to"));
    if (config.tlsEnabled()) {
        const QString problem =
            net::loadServerTls(config.tlsCertFile, config.tlsKeyFile, &config.tls);
        if (!problem.isEmpty())
            return error(problem);
    }

    if (config.clusterCertFile.isEmpty() != config.clusterKeyFile.isEmpty())
        return error(config.clusterKeyFile.isEmpty()
                         ? QStringLiteral("--cluster-cert needs --cluster-key: the private key of "
                                          "the certificate")
                         : QStringLiteral("--cluster-key needs --cluster-cert: the certificate "
                                          "the key belongs to"));
    if (!config.clusterCertFile.isEmpty() && !config.clusterTlsEnabled())
        return error(QStringLiteral("--cluster-cert and --cluster-key need --cluster-ca: the CA "
                                    "the peers' certificates are verified against"));
    if (config.clusterTlsEnabled()) {
        if (!config.clustered())
            return error(QStringLiteral("--cluster-ca needs --cluster-listen (and --peers): it "
                                        "secures the links between nodes"));
        if (config.clusterCertFile.isEmpty()) {
            if (!config.tlsEnabled())
                return error(QStringLiteral("--cluster-ca needs this node's certificate and key: "
                                            "--cluster-cert and --cluster-key, or --tls-cert and "
                                            "--tls-key"));
            config.clusterCertFile = config.tlsCertFile;
            config.clusterKeyFile = config.tlsKeyFile;
        }
        const QString problem = net::loadPeerTls(config.clusterCaFile, config.clusterCertFile,
                                                 config.clusterKeyFile, &config.clusterTls);
        if (!problem.isEmpty())
            return error(problem);
    }

    ConfigResult result;
    result.outcome = ConfigResult::Outcome::Run;
    result.config = config;
    return result;
}

} // namespace

std::optional<QString> ConfigLoader::rawSetting(const QStringList &arguments,
                                                const QProcessEnvironment &environment,
                                                const char *name)
{
    const QString option = QString::fromLatin1(name);
    const Setting *setting = findSetting(option);
    if (!setting || setting->secret)
        return std::nullopt;
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption configFile(QStringLiteral("config"), QString(),
                                        QStringLiteral("FILE"));
    parser.addOption(QCommandLineOption(QStringList{QStringLiteral("h"), QStringLiteral("help")}));
    parser.addOption(QCommandLineOption(QStringLiteral("version")));
    parser.addOption(configFile);
    for (const Setting &s : settings()) {
        if (s.secret)
            continue;
        if (!s.valueName)
            parser.addOption(QCommandLineOption(QString::fromLatin1(s.name)));
        else
            parser.addOption(
                QCommandLineOption(QString::fromLatin1(s.name), QString(), QStringLiteral("V")));
    }
    if (!parser.parse(arguments))
        return std::nullopt;
    if (parser.isSet(option))
        return setting->valueName ? parser.value(option) : QStringLiteral("true");
    const QString variable = environmentName(name);
    if (environment.contains(variable))
        return environment.value(variable);
    QString filePath = environment.value(QStringLiteral("FLACK_CONFIG"));
    if (parser.isSet(configFile))
        filePath = parser.value(configFile);
    if (filePath.isEmpty() || !QFileInfo(filePath).isFile())
        return std::nullopt;
    QSettings file(filePath, QSettings::IniFormat);
    if (file.status() != QSettings::NoError)
        return std::nullopt;
    for (const QString &key : {option, QStringLiteral("server/") + option}) {
        if (file.contains(key))
            return iniValue(file, key);
    }
    return std::nullopt;
}

ConfigResult ConfigLoader::load(const QStringList &arguments,
                                const QProcessEnvironment &environment)
{
    QList<QByteArray> secrets;
    ConfigResult result = loadSettings(arguments, environment, &secrets);
    if (result.outcome == ConfigResult::Outcome::Error)
        result.text = redacted(result.text, secrets);
    return result;
}

} // namespace flack::server::app
