#include "admin-gui/core/adminoptions.h"

#include <QCommandLineParser>
#include <QFile>

namespace flack::admin {

namespace {

// A token file bigger than an admin record can't hold a token the server would accept.
constexpr qint64 kMaxTokenFileBytes = 64 * 1024;

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption url{QStringLiteral("url"),
                           QStringLiteral("Admin endpoint of any node, e.g. "
                                          "ws://localhost:8080/admin (the path /admin is "
                                          "added when missing)."),
                           QStringLiteral("url")};
    QCommandLineOption tokenFile{
        QStringLiteral("token-file"),
        QStringLiteral("File holding the admin token (a trailing newline is ignored). Without "
                       "it the token comes from FLACK_ADMIN_TOKEN, or the connect dialog."),
        QStringLiteral("file")};
    QCommandLineOption screenshots{
        QStringLiteral("screenshots"),
        QStringLiteral("Once connected and after --screenshot-delay seconds, save a PNG of "
                       "each tab into this directory and quit (for documentation)."),
        QStringLiteral("dir")};
    QCommandLineOption screenshotDelay{
        QStringLiteral("screenshot-delay"),
        QStringLiteral("Seconds of live data before --screenshots are taken (default 10)."),
        QStringLiteral("seconds"), QStringLiteral("10")};
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")},
                            QStringLiteral("Show this help and exit.")};
    QCommandLineOption version{{QStringLiteral("v"), QStringLiteral("version")},
                               QStringLiteral("Show the version and exit.")};

    Parser()
    {
        parser.setApplicationDescription(
            QStringLiteral("Flack cluster administration: nodes and links, chats, users and "
                           "message rates of the whole cluster, live, from any node's /admin "
                           "endpoint; kick users. Connects at start when given --url and a "
                           "token, else opens the connect dialog."));
        parser.addOptions({url, tokenFile, screenshots, screenshotDelay, help, version});
    }
};

} // namespace

QString AdminOptions::helpText()
{
    Parser p;
    // Qt names the program from the running application, which --help doesn't create.
    const QString text = p.parser.helpText();
    return QStringLiteral("Usage: flack-admin [options]") + text.mid(text.indexOf(u'\n'));
}

bool AdminOptions::resolveToken(const QString &environmentToken, QString *token,
                                QString *error) const
{
    if (tokenFile.isEmpty()) {
        *token = environmentToken;
        return true;
    }
    *token = readTokenFile(tokenFile, error);
    return !token->isEmpty();
}

QUrl AdminOptions::adminUrl(const QString &text, QString *error)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss") ||
        url.host().isEmpty()) {
        if (error)
            *error = QStringLiteral("not a ws:// or wss:// URL with a host: ") + text;
        return {};
    }
    if (url.path().isEmpty() || url.path() == u"/")
        url.setPath(QStringLiteral("/admin"));
    return url;
}

QString AdminOptions::readTokenFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the token file %1: %2").arg(path, file.errorString());
        return {};
    }
    QByteArray bytes = file.read(kMaxTokenFileBytes + 1);
    if (bytes.size() > kMaxTokenFileBytes) {
        *error = QStringLiteral("the token file %1 is larger than 64 KiB").arg(path);
        return {};
    }
    if (bytes.endsWith('\n'))
        bytes.chop(bytes.endsWith("\r\n") ? 2 : 1);
    if (bytes.isEmpty()) {
        *error = QStringLiteral("the token file %1 is empty").arg(path);
        return {};
    }
    return QString::fromUtf8(bytes);
}

AdminOptions::ParseResult AdminOptions::parse(const QStringList &arguments)
{
    Parser p;
    ParseResult result;
    const bool parsedAll = p.parser.parse(arguments);
    // Help and version win over anything else on the line, so they never need a display.
    if (p.parser.isSet(p.help)) {
        result.outcome = Outcome::ShowHelp;
        return result;
    }
    if (p.parser.isSet(p.version)) {
        result.outcome = Outcome::ShowVersion;
        return result;
    }
    if (!parsedAll) {
        result.error = p.parser.errorText();
        result.unknownOptions = !p.parser.unknownOptionNames().isEmpty();
        return result;
    }
    if (!p.parser.positionalArguments().isEmpty()) {
        result.error =
            QStringLiteral("unexpected argument: ") + p.parser.positionalArguments().first();
        return result;
    }
    if (p.parser.isSet(p.url)) {
        url = adminUrl(p.parser.value(p.url), &result.error);
        if (!url.isValid()) {
            result.error = QStringLiteral("--url: ") + result.error;
            return result;
        }
    }
    tokenFile = p.parser.value(p.tokenFile);
    if (p.parser.isSet(p.tokenFile) && tokenFile.isEmpty()) {
        result.error = QStringLiteral("--token-file needs a file name");
        return result;
    }
    screenshotDir = p.parser.value(p.screenshots);
    bool ok = false;
    screenshotDelaySeconds = p.parser.value(p.screenshotDelay).toInt(&ok);
    if (!ok || screenshotDelaySeconds < 0 || screenshotDelaySeconds > 3600) {
        result.error = QStringLiteral("--screenshot-delay must be 0 to 3600 seconds, got: ") +
                       p.parser.value(p.screenshotDelay);
        return result;
    }
    if (!screenshotDir.isEmpty() && !url.isValid()) {
        result.error = QStringLiteral("--screenshots needs --url (and a token)");
        return result;
    }
    result.outcome = Outcome::Run;
    return result;
}

} // namespace flack::admin
