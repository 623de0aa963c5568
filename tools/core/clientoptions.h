#pragma once
// flack-client's command line: the original reference client's options and defaults
// (--url, --name hoser, --chat foobar, --count 100, -d/--delay 1000 ms) plus --interactive.
// Parsing is a pure function of the argument list so bad input is unit-testable.

#include <QString>
#include <QStringList>
#include <QUrl>

namespace flack::tools {

struct ClientOptions
{
    QUrl url;
    QString name = QStringLiteral("hoser");
    QString chat = QStringLiteral("foobar");
    int count = 100;
    int delayMs = 1000;
    bool interactive = false;

    enum class Outcome { Run, ShowHelp, ShowVersion, Error };
    struct ParseResult
    {
        Outcome outcome = Outcome::Error;
        QString error; // when Error: what was wrong, for the usage message
    };
    // arguments include the program name first, as QCoreApplication::arguments() does.
    ParseResult parse(const QStringList &arguments);

    static QString helpText();
};

} // namespace flack::tools
