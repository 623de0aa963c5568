#include "server/app/configloader.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <algorithm>
#include <functional>

namespace flack::server::app {

namespace {

// One setting: its option name (also its INI key), its environment variable and how a text
// value is checked and stored. Returns an error description, or an empty string.
struct Setting
{
    const char *name;
    const char *valueName;
    const char *description;
    std::function<QString(ServerConfig &, const QString &)> apply;
};

std::function<QString(ServerConfig &, const QString &)> integer(qint64 ServerConfig::*field,
                                                                qint64 min, qint64 max)
{
    return [=](ServerConfig &config, const QString &value) {
        bool ok = false;
        const qint64 number = value.trimmed().toLongLong(&ok);
        if (!ok || number < min || number > max)
            return QStringLiteral("expected an integer from %1 to %2").arg(min).arg(max);
        config.*field = number;
        return QString();
    };
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
        {"max-message-bytes", "N", "Largest websocket message accepted. Default 65536.",
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
         "Unsent data held for a client that doesn't read before it is dropped. Default 8388608.",
         integer(&ServerConfig::maxQueuedBytes, 65536, qint64(1) << 32)},
        {"log-level", "LEVEL", "debug, info, warning or error. Default info.",
         [](ServerConfig &config, const QString &value) {
             const QString level = value.trimmed().toLower();
             if (level != u"debug" && level != u"info" && level != u"warning" && level != u"error")
                 return QStringLiteral("expected debug, info, warning or error");
             config.logLevel = level;
             return QString();
         }},
    };
    return table;
}

QString environmentName(const char *settingName)
{
    return QStringLiteral("FLACK_") +
           QString::fromLatin1(settingName).toUpper().replace(u'-', u'_');
}

ConfigResult error(QString text)
{
    ConfigResult result;
    result.outcome = ConfigResult::Outcome::Error;
    result.text = QStringLiteral("flack-server: ") + text;
    return result;
}

QString applyOne(ServerConfig &config, const Setting &setting, const QString &value,
                 const QString &source)
{
    const QString problem = setting.apply(config, value);
    if (problem.isEmpty())
        return {};
    return QStringLiteral("invalid value '%1' for %2 (%3): %4")
        .arg(value.left(200), QString::fromLatin1(setting.name), source, problem);
}

} // namespace

ConfigResult ConfigLoader::load(const QStringList &arguments,
                                const QProcessEnvironment &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Flack chat server: serves the web client over HTTP and the chat "
                       "protocol over websockets at /chat-server, on one port.\n"
                       "Every option can also be set as FLACK_<OPTION> in the environment "
                       "(e.g. FLACK_PORT) or as <option>=value in the --config INI file; "
                       "precedence: command line > environment > file > default."));
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
    for (const Setting &setting : settings())
        parser.addOption(QCommandLineOption(QString::fromLatin1(setting.name),
                                            QString::fromLatin1(setting.description),
                                            QString::fromLatin1(setting.valueName)));

    if (!parser.parse(arguments))
        return error(parser.errorText() + QStringLiteral(" (see --help)"));
    if (!parser.positionalArguments().isEmpty())
        return error(QStringLiteral("unexpected argument '%1' (see --help)")
                         .arg(parser.positionalArguments().constFirst()));
    if (parser.isSet(help) || parser.isSet(version)) {
        ConfigResult result;
        result.outcome = ConfigResult::Outcome::ShowText;
        result.text = parser.isSet(help)
                          ? parser.helpText()
                          : QStringLiteral("flack-server %1\n").arg(QStringLiteral(FLACK_VERSION));
        return result;
    }

    ServerConfig config;

    // Lowest precedence first: file, then environment, then command line.
    QString filePath = environment.value(QStringLiteral("FLACK_CONFIG"));
    if (parser.isSet(configFile))
        filePath = parser.value(configFile);
    if (!filePath.isEmpty()) {
        const QFileInfo info(filePath);
        if (!info.exists())
            return error(
                QStringLiteral("cannot read config file '%1': no such file").arg(filePath));
        if (!info.isFile() || !info.isReadable())
            return error(
                QStringLiteral("cannot read config file '%1': not a readable file").arg(filePath));
        QSettings file(filePath, QSettings::IniFormat);
        if (file.status() != QSettings::NoError)
            return error(
                QStringLiteral("cannot read config file '%1': not a valid INI file").arg(filePath));
        const QStringList keys = file.allKeys();
        for (const QString &key : keys) {
            // Settings may sit at the top of the file or in a [server] section.
            const QString name = key.startsWith(u"server/") ? key.mid(7) : key;
            const auto found =
                std::find_if(settings().begin(), settings().end(), [&](const Setting &setting) {
                    return name == QLatin1StringView(setting.name);
                });
            if (found == settings().end())
                return error(
                    QStringLiteral("config file '%1': unknown setting '%2'").arg(filePath, key));
            const QString value = file.value(key).toString();
            const QString problem =
                applyOne(config, *found, value, QStringLiteral("in %1").arg(filePath));
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
        if (!parser.isSet(name))
            continue;
        const QString problem =
            applyOne(config, setting, parser.value(name), QStringLiteral("--%1").arg(name));
        if (!problem.isEmpty())
            return error(problem);
    }

    ConfigResult result;
    result.outcome = ConfigResult::Outcome::Run;
    result.config = config;
    return result;
}

} // namespace flack::server::app
