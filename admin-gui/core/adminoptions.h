#pragma once
// flack-admin's command line: [--url ws://HOST:PORT/admin] [--token-file FILE], --version,
// --help, and --screenshots DIR for the README's pictures. Parsing, URL checks and reading the
// token file are pure functions here so bad input is unit-testable; main() only acts on them.

#include <QString>
#include <QStringList>
#include <QUrl>

namespace flack::admin {

struct AdminOptions
{
    QUrl url;          // empty: ask in the connect dialog
    QString tokenFile; // empty: FLACK_ADMIN_TOKEN, else ask
    QString screenshotDir;
    int screenshotDelaySeconds = 10;

    enum class Outcome { Run, ShowHelp, ShowVersion, Error };
    struct ParseResult
    {
        Outcome outcome = Outcome::Error;
        QString error;               // when Error: what was wrong
        bool unknownOptions = false; // when Error: options this parser doesn't know (Qt's own
                                     // -platform, ... before QApplication took them out)
    };
    // arguments include the program name first, as QCoreApplication::arguments() does.
    ParseResult parse(const QStringList &arguments);

    static QString helpText();

    // "ws://host:8080/admin" as typed, or "ws://host:8080" (the path /admin is added); an
    // invalid QUrl with `error` set when it is not a ws:// or wss:// URL with a host.
    static QUrl adminUrl(const QString &text, QString *error = nullptr);

    // The token to use: the --token-file's, else the environment's FLACK_ADMIN_TOKEN (may be
    // empty: ask). False with `error` set when the file can't be used.
    bool resolveToken(const QString &environmentToken, QString *token, QString *error) const;

    // The token in a file; one trailing newline (LF or CRLF) is not part of it. Empty with
    // `error` set when the file can't be read or holds no token.
    static QString readTokenFile(const QString &path, QString *error);
};

} // namespace flack::admin
