#include "tools/core/clientoptions.h"

#include <QCommandLineParser>

namespace flack::tools {

namespace {

struct Parser
{
    QCommandLineParser parser;
    QCommandLineOption url{QStringLiteral("url"),
                           QStringLiteral("Chat server websocket URL, e.g. "
                                          "ws://localhost:8080/chat-server (required)."),
                           QStringLiteral("url")};
    QCommandLineOption name{QStringLiteral("name"),
                            QStringLiteral("User name to authenticate as (default hoser)."),
                            QStringLiteral("name"), QStringLiteral("hoser")};
    QCommandLineOption chat{QStringLiteral("chat"),
                            QStringLiteral("Chat to join (default foobar)."),
                            QStringLiteral("chat"), QStringLiteral("foobar")};
    QCommandLineOption count{QStringLiteral("count"),
                             QStringLiteral("Number of messages to send (default 100)."),
                             QStringLiteral("count"), QStringLiteral("100")};
    QCommandLineOption delay{{QStringLiteral("d"), QStringLiteral("delay")},
                             QStringLiteral("Milliseconds between messages (default 1000)."),
                             QStringLiteral("ms"),
                             QStringLiteral("1000")};
    QCommandLineOption interactive{QStringLiteral("interactive"),
                                   QStringLiteral("Send each line typed on stdin instead of the "
                                                  "scripted messages; end with Ctrl-D.")};
    QCommandLineOption help{{QStringLiteral("h"), QStringLiteral("help")},
                            QStringLiteral("Show this help and exit.")};
    QCommandLineOption version{{QStringLiteral("v"), QStringLiteral("version")},
                               QStringLiteral("Show the version and exit.")};

    Parser()
    {
        parser.setApplicationDescription(
            QStringLiteral("Flack command-line chat client. Joins a chat and sends \"I like "
                           "cats\" --count times, --delay ms apart, validating every record the "
                           "server sends; or, with --interactive, sends what you type.\n"
                           "Exit codes: 0 done, 1 usage, 2 protocol violation by the server, "
                           "3 connection failed or protocol_error received."));
        parser.addOptions({url, name, chat, count, delay, interactive, help, version});
    }
};

bool parseNonNegative(const QString &text, int &out)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 0)
        return false;
    out = value;
    return true;
}

} // namespace

QString ClientOptions::helpText()
{
    Parser p;
    return p.parser.helpText();
}

ClientOptions::ParseResult ClientOptions::parse(const QStringList &arguments)
{
    Parser p;
    ParseResult result;
    if (!p.parser.parse(arguments)) {
        result.error = p.parser.errorText();
        return result;
    }
    if (p.parser.isSet(p.help)) {
        result.outcome = Outcome::ShowHelp;
        return result;
    }
    if (p.parser.isSet(p.version)) {
        result.outcome = Outcome::ShowVersion;
        return result;
    }
    if (!p.parser.positionalArguments().isEmpty()) {
        result.error =
            QStringLiteral("unexpected argument: ") + p.parser.positionalArguments().first();
        return result;
    }
    if (!p.parser.isSet(p.url)) {
        result.error = QStringLiteral("--url is required");
        return result;
    }
    url = QUrl(p.parser.value(p.url), QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss") ||
        url.host().isEmpty()) {
        result.error =
            QStringLiteral("--url must be a ws:// or wss:// URL, got: ") + p.parser.value(p.url);
        return result;
    }
    name = p.parser.value(p.name);
    chat = p.parser.value(p.chat);
    if (name.isEmpty() || chat.isEmpty()) {
        result.error = QStringLiteral("--name and --chat must not be empty");
        return result;
    }
    if (!parseNonNegative(p.parser.value(p.count), count)) {
        result.error = QStringLiteral("--count must be a non-negative integer, got: ") +
                       p.parser.value(p.count);
        return result;
    }
    if (!parseNonNegative(p.parser.value(p.delay), delayMs)) {
        result.error =
            QStringLiteral("--delay must be a non-negative number of milliseconds, got: ") +
            p.parser.value(p.delay);
        return result;
    }
    interactive = p.parser.isSet(p.interactive);
    result.outcome = Outcome::Run;
    return result;
}

} // namespace flack::tools
