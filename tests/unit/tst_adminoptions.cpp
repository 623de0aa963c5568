// flack-admin's command line: --url (ws/wss with a host; /admin added when the path is
// missing), --token-file (read, one trailing newline dropped, errors named), FLACK_ADMIN_TOKEN
// as the fallback, --screenshots, --help and --version winning over errors.

#include "admin-gui/core/adminoptions.h"

#include <QTemporaryDir>
#include <QTest>

using namespace flack::admin;
using Outcome = AdminOptions::Outcome;

Q_DECLARE_METATYPE(flack::admin::AdminOptions::Outcome)

class TestAdminOptions : public QObject
{
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void helpNamesEveryOption();
    void normalisesUrls_data();
    void normalisesUrls();
    void readsTokenFiles();
    void resolvesTokenFromFileOrEnvironment();
};

void TestAdminOptions::parses_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<Outcome>("outcome");
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("unknown");
    const auto row = [](const char *name, QStringList arguments, Outcome outcome,
                        const char *url = "", bool unknown = false) {
        arguments.prepend(QStringLiteral("flack-admin"));
        QTest::newRow(name) << arguments << outcome << QString::fromUtf8(url) << unknown;
    };
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    row("nothing", {}, Outcome::Run);
    row("url", {s("--url"), s("ws://h:8080/admin")}, Outcome::Run, "ws://h:8080/admin");
    row("url without path", {s("--url=wss://h:443")}, Outcome::Run, "wss://h:443/admin");
    row("url and token file", {s("--url"), s("ws://h:1/admin"), s("--token-file"), s("/t")},
        Outcome::Run, "ws://h:1/admin");
    row("help", {s("--help")}, Outcome::ShowHelp);
    row("-h", {s("-h")}, Outcome::ShowHelp);
    row("version", {s("--version")}, Outcome::ShowVersion);
    row("help wins over a bad url", {s("--url"), s("http://x"), s("-h")}, Outcome::ShowHelp);
    row("version wins over an unknown option", {s("-platform"), s("offscreen"), s("-v")},
        Outcome::ShowVersion);
    row("http url", {s("--url"), s("http://h:8080/admin")}, Outcome::Error);
    row("url without host", {s("--url"), s("ws:///admin")}, Outcome::Error);
    row("url missing value", {s("--url")}, Outcome::Error);
    row("empty token file", {s("--token-file=")}, Outcome::Error);
    row("positional", {s("ws://h:1/admin")}, Outcome::Error);
    row("unknown option", {s("--colour")}, Outcome::Error, "", true);
    row("screenshots need a url", {s("--screenshots"), s("/tmp/x")}, Outcome::Error);
    row("screenshots", {s("--screenshots"), s("/tmp/x"), s("--url"), s("ws://h:1")}, Outcome::Run,
        "ws://h:1/admin");
    row("bad delay", {s("--screenshot-delay"), s("-1")}, Outcome::Error);
}

void TestAdminOptions::parses()
{
    QFETCH(QStringList, arguments);
    QFETCH(Outcome, outcome);
    QFETCH(QString, url);
    QFETCH(bool, unknown);
    AdminOptions options;
    const AdminOptions::ParseResult result = options.parse(arguments);
    QCOMPARE(result.outcome, outcome);
    QCOMPARE(result.error.isEmpty(), outcome != Outcome::Error);
    QCOMPARE(result.unknownOptions, unknown);
    if (outcome == Outcome::Run)
        QCOMPARE(options.url.toString(), url);
}

void TestAdminOptions::helpNamesEveryOption()
{
    const QString help = AdminOptions::helpText();
    QVERIFY(help.startsWith(QStringLiteral("Usage: flack-admin [options]")));
    for (const char *option :
         {"--url", "--token-file", "--screenshots", "--help", "--version", "FLACK_ADMIN_TOKEN"})
        QVERIFY2(help.contains(QString::fromUtf8(option)), option);
}

void TestAdminOptions::normalisesUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("url"); // empty: refused
    QTest::newRow("full") << QStringLiteral("ws://n1:8080/admin")
                          << QStringLiteral("ws://n1:8080/admin");
    QTest::newRow("root path") << QStringLiteral("ws://n1:8080/")
                               << QStringLiteral("ws://n1:8080/admin");
    QTest::newRow("spaces") << QStringLiteral("  ws://n1:8080  ")
                            << QStringLiteral("ws://n1:8080/admin");
    QTest::newRow("other path kept")
        << QStringLiteral("wss://proxy/flack/admin") << QStringLiteral("wss://proxy/flack/admin");
    QTest::newRow("ipv6") << QStringLiteral("ws://[::1]:8080")
                          << QStringLiteral("ws://[::1]:8080/admin");
    QTest::newRow("http") << QStringLiteral("http://n1:8080/admin") << QString();
    QTest::newRow("no scheme") << QStringLiteral("n1:8080") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestAdminOptions::normalisesUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, url);
    QString error;
    const QUrl result = AdminOptions::adminUrl(text, &error);
    QCOMPARE(result.toString(), url);
    QCOMPARE(error.isEmpty(), !url.isEmpty());
}

void TestAdminOptions::readsTokenFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&](const char *name, const QByteArray &content) {
        QFile file(dir.filePath(QString::fromUtf8(name)));
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", name);
        file.write(content);
        return file.fileName();
    };
    QString error;
    QCOMPARE(AdminOptions::readTokenFile(write("lf", "secret-token-0123\n"), &error),
             QStringLiteral("secret-token-0123"));
    QCOMPARE(AdminOptions::readTokenFile(write("crlf", "secret-token-0123\r\n"), &error),
             QStringLiteral("secret-token-0123"));
    QCOMPARE(AdminOptions::readTokenFile(write("none", "secret-token-0123"), &error),
             QStringLiteral("secret-token-0123"));
    // Only one newline is the file's; spaces are the token's.
    QCOMPARE(AdminOptions::readTokenFile(write("two", " tok \n\n"), &error),
             QStringLiteral(" tok \n"));
    QVERIFY(error.isEmpty());
    QVERIFY(AdminOptions::readTokenFile(write("empty", "\n"), &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("empty")));
    QVERIFY(AdminOptions::readTokenFile(write("big", QByteArray(64 * 1024 + 1, 't')), &error)
                .isEmpty());
    QVERIFY(error.contains(QStringLiteral("64 KiB")));
    QVERIFY(AdminOptions::readTokenFile(dir.filePath(QStringLiteral("missing")), &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("missing")));
}

void TestAdminOptions::resolvesTokenFromFileOrEnvironment()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("token")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("from-file-0123456\n");
    file.close();
    AdminOptions options;
    QString token;
    QString error;
    QVERIFY(options.resolveToken(QStringLiteral("from-env"), &token, &error));
    QCOMPARE(token, QStringLiteral("from-env"));
    options.tokenFile = file.fileName();
    QVERIFY(options.resolveToken(QStringLiteral("from-env"), &token, &error));
    QCOMPARE(token, QStringLiteral("from-file-0123456"));
    options.tokenFile = dir.filePath(QStringLiteral("missing"));
    QVERIFY(!options.resolveToken(QStringLiteral("from-env"), &token, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestAdminOptions)
#include "tst_adminoptions.moc"
