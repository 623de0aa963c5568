// The static file store is what stands between a request path and the file system, so besides
// serving the web client correctly it must never hand out a file outside its root: traversal
// with "..", encoded or backslashed dots, absolute paths, symlinks out of the root and
// dot-files. Roots are a QTemporaryDir (with symlinks and a FIFO) and a Qt resource prefix.

#include "server/net/httprequestparser.h"
#include "server/net/staticfilestore.h"

#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QProcess>
#include <QResource>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace flack::server::net;
using Status = StaticFileStore::Lookup::Status;

Q_DECLARE_METATYPE(flack::server::net::StaticFileStore::Lookup::Status)

namespace {

template <qsizetype N> QByteArray raw(const char (&text)[N])
{
    return QByteArray(text, N - 1);
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestStaticFileStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QTemporaryDir m_outside;
    QString m_resourceFile;

    QString rootPath(const QString &relative) const { return m_root.filePath(relative); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        QVERIFY(m_outside.isValid());
        const QList<std::pair<QString, QByteArray>> files = {
            {QStringLiteral("index.html"), "<h1>root</h1>"},
            {QStringLiteral("app.js"), "console.log(1);"},
            {QStringLiteral("style.css"), "body{}"},
            {QStringLiteral("data.json"), "{}"},
            {QStringLiteral("a b.html"), "spaced"},
            {QStringLiteral("caf\u00e9.txt"), "accent"},
            {QStringLiteral("unknown.xyz"), "?"},
            {QStringLiteral("sub/index.html"), "<h1>sub</h1>"},
            {QStringLiteral("sub/page.txt"), "page"},
            {QStringLiteral("nested/a/b.svg"), "<svg/>"},
            {QStringLiteral("empty.txt"), ""},
            {QStringLiteral(".secret"), "root secret"},
            {QStringLiteral(".git/config"), "git secret"},
            {QStringLiteral("sub/.hidden"), "hidden"},
            {QStringLiteral("dir.with.dots/x.js"), "dotted dir"},
        };
        for (const auto &[name, content] : files)
            QVERIFY2(writeFile(rootPath(name), content), qPrintable(name));
        QVERIFY(QDir(m_root.path()).mkpath(QStringLiteral("emptydir")));
        QVERIFY(writeFile(m_outside.filePath(QStringLiteral("secret.txt")), "outside secret"));
        QVERIFY(writeFile(m_outside.filePath(QStringLiteral("index.html")), "outside index"));

        // Symlinks: out of the root (file and directory), inside the root, and onto a dot-file.
        QVERIFY(QFile::link(m_outside.filePath(QStringLiteral("secret.txt")),
                            rootPath(QStringLiteral("out.txt"))));
        QVERIFY(QFile::link(m_outside.path(), rootPath(QStringLiteral("outdir"))));
        QVERIFY(
            QFile::link(rootPath(QStringLiteral("app.js")), rootPath(QStringLiteral("inlink.js"))));
        QVERIFY(QFile::link(rootPath(QStringLiteral(".secret")),
                            rootPath(QStringLiteral("dotlink.txt"))));
        QVERIFY(QFile::link(rootPath(QStringLiteral("missing")),
                            rootPath(QStringLiteral("dangling.js"))));
        // A FIFO must not be opened: reading it would block the server.
        QCOMPARE(::mkfifo(QFile::encodeName(rootPath(QStringLiteral("pipe.js"))).constData(), 0600),
                 0);
        // Larger than the store serves; sparse, so it costs no disk.
        QFile big(rootPath(QStringLiteral("big.bin")));
        QVERIFY(big.open(QIODevice::WriteOnly));
        QVERIFY(big.resize(StaticFileStore::kMaxFileBytes + 1));
    }

    void cleanupTestCase()
    {
        if (!m_resourceFile.isEmpty())
            QResource::unregisterResource(m_resourceFile, QStringLiteral("/flacktest"));
    }

    void lookup_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<Status>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");

        const QByteArray html = "text/html; charset=utf-8";
        const QByteArray none;
        // Found.
        QTest::newRow("/") << QByteArray("/") << Status::Found << QByteArray("<h1>root</h1>")
                           << html;
        QTest::newRow("/index.html")
            << QByteArray("/index.html") << Status::Found << QByteArray("<h1>root</h1>") << html;
        QTest::newRow("/app.js") << QByteArray("/app.js") << Status::Found
                                 << QByteArray("console.log(1);")
                                 << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("/style.css")
            << QByteArray("/style.css") << Status::Found << QByteArray("body{}")
            << QByteArray("text/css; charset=utf-8");
        QTest::newRow("/data.json") << QByteArray("/data.json") << Status::Found << QByteArray("{}")
                                    << QByteArray("application/json");
        QTest::newRow("sub dir index")
            << QByteArray("/sub/") << Status::Found << QByteArray("<h1>sub</h1>") << html;
        QTest::newRow("file in sub dir")
            << QByteArray("/sub/page.txt") << Status::Found << QByteArray("page")
            << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("nested") << QByteArray("/nested/a/b.svg") << Status::Found
                                << QByteArray("<svg/>") << QByteArray("image/svg+xml");
        QTest::newRow("decoded space")
            << QByteArray("/a b.html") << Status::Found << QByteArray("spaced") << html;
        QTest::newRow("UTF-8 name")
            << QByteArray("/caf\xc3\xa9.txt") << Status::Found << QByteArray("accent")
            << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("unknown type") << QByteArray("/unknown.xyz") << Status::Found
                                      << QByteArray("?") << QByteArray("application/octet-stream");
        QTest::newRow("empty file") << QByteArray("/empty.txt") << Status::Found << QByteArray()
                                    << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("dots inside a name")
            << QByteArray("/dir.with.dots/x.js") << Status::Found << QByteArray("dotted dir")
            << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("symlink inside the root")
            << QByteArray("/inlink.js") << Status::Found << QByteArray("console.log(1);")
            << QByteArray("text/javascript; charset=utf-8");

        // NotFound.
        QTest::newRow("missing file")
            << QByteArray("/missing.html") << Status::NotFound << none << none;
        QTest::newRow("missing dir index")
            << QByteArray("/missing/") << Status::NotFound << none << none;
        QTest::newRow("directory without slash")
            << QByteArray("/sub") << Status::NotFound << none << none;
        QTest::newRow("directory without index")
            << QByteArray("/emptydir/") << Status::NotFound << none << none;
        QTest::newRow("directory without index, no slash")
            << QByteArray("/emptydir") << Status::NotFound << none << none;
        QTest::newRow("file used as directory")
            << QByteArray("/app.js/") << Status::NotFound << none << none;
        QTest::newRow("FIFO") << QByteArray("/pipe.js") << Status::NotFound << none << none;
        QTest::newRow("dangling symlink")
            << QByteArray("/dangling.js") << Status::NotFound << none << none;
        QTest::newRow("case matters")
            << QByteArray("/INDEX.HTML") << Status::NotFound << none << none;

        // Forbidden: traversal attempts, as the parser hands them over (decoded once).
        QTest::newRow("/../etc/passwd")
            << QByteArray("/../etc/passwd") << Status::Forbidden << none << none;
        QTest::newRow("/..") << QByteArray("/..") << Status::Forbidden << none << none;
        QTest::newRow("/../") << QByteArray("/../") << Status::Forbidden << none << none;
        QTest::newRow("/%2e%2e/ undecoded")
            << QByteArray("/%2e%2e/") << Status::Forbidden << none << none;
        QTest::newRow("/..%2f..%2f undecoded")
            << QByteArray("/..%2f..%2f") << Status::Forbidden << none << none;
        QTest::newRow("/..%2f..%2f decoded")
            << QByteArray("/../../") << Status::Forbidden << none << none;
        QTest::newRow("/a/../../") << QByteArray("/a/../../") << Status::Forbidden << none << none;
        QTest::newRow("/sub/../index.html")
            << QByteArray("/sub/../index.html") << Status::Forbidden << none << none;
        QTest::newRow("/./index.html")
            << QByteArray("/./index.html") << Status::Forbidden << none << none;
        QTest::newRow("/sub/.") << QByteArray("/sub/.") << Status::Forbidden << none << none;
        QTest::newRow("//etc/passwd")
            << QByteArray("//etc/passwd") << Status::Forbidden << none << none;
        QTest::newRow("/sub//page.txt")
            << QByteArray("/sub//page.txt") << Status::Forbidden << none << none;
        QTest::newRow("/%00 undecoded") << QByteArray("/%00") << Status::Forbidden << none << none;
        QTest::newRow("NUL") << raw("/index.html\0.png") << Status::Forbidden << none << none;
        QTest::newRow("control char") << raw("/a\x01.js") << Status::Forbidden << none << none;
        QTest::newRow("\\..\\") << QByteArray("\\..\\") << Status::Forbidden << none << none;
        QTest::newRow("/..\\..\\etc\\passwd")
            << QByteArray("/..\\..\\etc\\passwd") << Status::Forbidden << none << none;
        QTest::newRow("/sub\\page.txt")
            << QByteArray("/sub\\page.txt") << Status::Forbidden << none << none;
        QTest::newRow("drive letter")
            << QByteArray("/C:/Windows/win.ini") << Status::Forbidden << none << none;
        QTest::newRow("resource path")
            << QByteArray("/:/web/index.html") << Status::Forbidden << none << none;
        QTest::newRow("no leading slash")
            << QByteArray("index.html") << Status::Forbidden << none << none;
        QTest::newRow("empty path") << QByteArray() << Status::Forbidden << none << none;
        QTest::newRow("invalid UTF-8")
            << QByteArray("/\xff.html") << Status::Forbidden << none << none;
        QTest::newRow("dot-file") << QByteArray("/.secret") << Status::Forbidden << none << none;
        QTest::newRow("dot-dir") << QByteArray("/.git/config") << Status::Forbidden << none << none;
        QTest::newRow("dot-dir index") << QByteArray("/.git/") << Status::Forbidden << none << none;
        QTest::newRow("dot-file in sub dir")
            << QByteArray("/sub/.hidden") << Status::Forbidden << none << none;
        QTest::newRow("symlink out of the root")
            << QByteArray("/out.txt") << Status::Forbidden << none << none;
        QTest::newRow("through a symlinked dir")
            << QByteArray("/outdir/secret.txt") << Status::Forbidden << none << none;
        QTest::newRow("symlinked dir index")
            << QByteArray("/outdir/") << Status::Forbidden << none << none;
        QTest::newRow("symlink onto a dot-file")
            << QByteArray("/dotlink.txt") << Status::Forbidden << none << none;
        QTest::newRow("too large") << QByteArray("/big.bin") << Status::Forbidden << none << none;
    }

    void lookup()
    {
        QFETCH(QByteArray, path);
        QFETCH(Status, status);
        const StaticFileStore store(m_root.path());
        QVERIFY(!store.isResourceRoot());
        const StaticFileStore::Lookup result = store.lookup(path);
        QCOMPARE(result.status, status);
        if (status == Status::Found) {
            QTEST(result.body, "body");
            QTEST(result.contentType, "contentType");
        } else {
            QVERIFY(result.body.isEmpty());
        }
    }

    // The full path a request takes: raw target -> parser -> store. No traversal target may
    // ever produce a file; each is refused by the parser (400) or the store (403/404).
    void traversalThroughParser_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::newRow("/../etc/passwd") << QByteArray("/../etc/passwd");
        QTest::newRow("/%2e%2e/") << QByteArray("/%2e%2e/");
        QTest::newRow("/%2E%2E/%2E%2E/etc/passwd") << QByteArray("/%2E%2E/%2E%2E/etc/passwd");
        QTest::newRow("/.%2e/secret.txt") << QByteArray("/.%2e/secret.txt");
        QTest::newRow("/..%2f..%2f") << QByteArray("/..%2f..%2f");
        QTest::newRow("/..%2F..%2Fetc%2Fpasswd") << QByteArray("/..%2F..%2Fetc%2Fpasswd");
        QTest::newRow("/a/../../") << QByteArray("/a/../../");
        QTest::newRow("//etc/passwd") << QByteArray("//etc/passwd");
        QTest::newRow("/%2fetc/passwd") << QByteArray("/%2fetc/passwd");
        QTest::newRow("/%00") << QByteArray("/%00");
        QTest::newRow("/index.html%00.png") << QByteArray("/index.html%00.png");
        QTest::newRow("\\..\\") << QByteArray("/\\..\\");
        QTest::newRow("/%5c..%5csecret.txt") << QByteArray("/%5c..%5csecret.txt");
        QTest::newRow("/%252e%252e/ double-encoded") << QByteArray("/%252e%252e/");
        QTest::newRow("/%c0%ae%c0%ae/ overlong UTF-8") << QByteArray("/%c0%ae%c0%ae/");
        QTest::newRow("/outdir/secret.txt") << QByteArray("/outdir/secret.txt");
        QTest::newRow("/out.txt") << QByteArray("/out.txt");
        QTest::newRow("/%2esecret") << QByteArray("/%2esecret");
        QTest::newRow("/.git/config") << QByteArray("/.git/config");
    }

    void traversalThroughParser()
    {
        QFETCH(QByteArray, target);
        const HttpParseResult parsed =
            parseHttpRequest("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n", 8192);
        if (parsed.status != HttpParseResult::Status::Complete) {
            QCOMPARE(parsed.status, HttpParseResult::Status::Malformed);
            return;
        }
        // Also try every file outside under the same names, in case a path resolved there.
        const StaticFileStore store(m_root.path());
        const StaticFileStore::Lookup result = store.lookup(parsed.request.path);
        QVERIFY2(result.status != Status::Found, parsed.request.path.constData());
        QVERIFY(!result.body.contains("secret"));
    }

    void rootForms_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("plain") << QString();
        QTest::newRow("trailing slash") << QStringLiteral("/");
        QTest::newRow("trailing slashes") << QStringLiteral("//");
    }

    void rootForms()
    {
        QFETCH(QString, suffix);
        const StaticFileStore store(m_root.path() + suffix);
        QCOMPARE(store.lookup("/").status, Status::Found);
        QCOMPARE(store.lookup("/sub/page.txt").body, QByteArray("page"));
        QCOMPARE(store.lookup("/../").status, Status::Forbidden);
    }

    // A root reached through a symlink is resolved once; files inside it are still served.
    void symlinkedRoot()
    {
        const QString link = m_outside.filePath(QStringLiteral("rootlink"));
        QVERIFY(QFile::link(m_root.path(), link));
        const StaticFileStore store(link);
        QCOMPARE(store.lookup("/app.js").status, Status::Found);
        QCOMPARE(store.lookup("/out.txt").status, Status::Forbidden);
        QVERIFY(QFile::remove(link));
    }

    void missingRoot()
    {
        const StaticFileStore store(m_root.filePath(QStringLiteral("does-not-exist")));
        QCOMPARE(store.lookup("/").status, Status::NotFound);
        QCOMPARE(store.lookup("/index.html").status, Status::NotFound);
        QCOMPARE(store.lookup("/../").status, Status::Forbidden);
    }

    // A directory root is read on every lookup, so edits to --web-root show up at once.
    void directoryRootIsNotCached()
    {
        const QString path = rootPath(QStringLiteral("changing.txt"));
        QVERIFY(writeFile(path, "one"));
        const StaticFileStore store(m_root.path());
        QCOMPARE(store.lookup("/changing.txt").body, QByteArray("one"));
        QVERIFY(writeFile(path, "two, longer"));
        QCOMPARE(store.lookup("/changing.txt").body, QByteArray("two, longer"));
        QVERIFY(QFile::remove(path));
        QCOMPARE(store.lookup("/changing.txt").status, Status::NotFound);
    }

    // The bundled client lives under a resource prefix; build a real .rcc with Qt's rcc.
    void resourceRoot()
    {
        const QString rcc =
            QLibraryInfo::path(QLibraryInfo::LibraryExecutablesPath) + QStringLiteral("/rcc");
        if (!QFileInfo(rcc).isExecutable())
            QSKIP("rcc not found");
        QTemporaryDir work;
        QVERIFY(work.isValid());
        QVERIFY(writeFile(work.filePath(QStringLiteral("index.html")), "<h1>bundled</h1>"));
        QVERIFY(writeFile(work.filePath(QStringLiteral("js/app.js")), QByteArray(4000, 'x')));
        QVERIFY(writeFile(work.filePath(QStringLiteral("img/icon.png")), "png"));
        QVERIFY(writeFile(work.filePath(QStringLiteral("qrc.qrc")),
                          "<RCC><qresource prefix=\"/web\">"
                          "<file>index.html</file><file>js/app.js</file>"
                          "<file>img/icon.png</file>"
                          "</qresource></RCC>"));
        m_resourceFile = m_outside.filePath(QStringLiteral("web.rcc"));
        QProcess process;
        process.setWorkingDirectory(work.path());
        process.start(rcc, {QStringLiteral("--binary"), QStringLiteral("qrc.qrc"),
                            QStringLiteral("-o"), m_resourceFile});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(QResource::registerResource(m_resourceFile, QStringLiteral("/flacktest")));

        for (const QString &root :
             {QStringLiteral(":/flacktest/web"), QStringLiteral(":/flacktest/web/")}) {
            const StaticFileStore store(root);
            QVERIFY(store.isResourceRoot());
            for (int pass = 0; pass < 2; ++pass) { // the second pass is served from the cache
                const auto index = store.lookup("/");
                QCOMPARE(index.status, Status::Found);
                QCOMPARE(index.body, QByteArray("<h1>bundled</h1>"));
                QCOMPARE(index.contentType, QByteArray("text/html; charset=utf-8"));
                const auto app = store.lookup("/js/app.js");
                QCOMPARE(app.status, Status::Found);
                QCOMPARE(app.body, QByteArray(4000, 'x'));
                QCOMPARE(store.lookup("/img/icon.png").contentType, QByteArray("image/png"));
                QCOMPARE(store.lookup("/missing.js").status, Status::NotFound);
                QCOMPARE(store.lookup("/js").status, Status::NotFound);
                QCOMPARE(store.lookup("/js/").status, Status::NotFound);
                QCOMPARE(store.lookup("/../web/index.html").status, Status::Forbidden);
                QCOMPARE(store.lookup("/js/../index.html").status, Status::Forbidden);
                QCOMPARE(store.lookup("//flacktest/web/index.html").status, Status::Forbidden);
                QCOMPARE(store.lookup("/:/flacktest/web/index.html").status, Status::Forbidden);
            }
        }
    }

    void mimeType_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("type");
        QTest::newRow("html") << QStringLiteral("/index.html")
                              << QByteArray("text/html; charset=utf-8");
        QTest::newRow("HTML upper case")
            << QStringLiteral("/INDEX.HTML") << QByteArray("text/html; charset=utf-8");
        QTest::newRow("htm") << QStringLiteral("a.htm") << QByteArray("text/html; charset=utf-8");
        QTest::newRow("js") << QStringLiteral("js/app.js")
                            << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("mjs") << QStringLiteral("m.mjs")
                             << QByteArray("text/javascript; charset=utf-8");
        QTest::newRow("css") << QStringLiteral("s.css") << QByteArray("text/css; charset=utf-8");
        QTest::newRow("json") << QStringLiteral("d.json") << QByteArray("application/json");
        QTest::newRow("map") << QStringLiteral("app.js.map") << QByteArray("application/json");
        QTest::newRow("svg") << QStringLiteral("i.svg") << QByteArray("image/svg+xml");
        QTest::newRow("png") << QStringLiteral("i.png") << QByteArray("image/png");
        QTest::newRow("ico") << QStringLiteral("favicon.ico") << QByteArray("image/x-icon");
        QTest::newRow("woff2") << QStringLiteral("f.woff2") << QByteArray("font/woff2");
        QTest::newRow("woff") << QStringLiteral("f.woff") << QByteArray("font/woff");
        QTest::newRow("txt") << QStringLiteral("robots.txt")
                             << QByteArray("text/plain; charset=utf-8");
        QTest::newRow("webmanifest")
            << QStringLiteral("site.webmanifest") << QByteArray("application/manifest+json");
        QTest::newRow("unknown") << QStringLiteral("x.xyz")
                                 << QByteArray("application/octet-stream");
        QTest::newRow("no suffix")
            << QStringLiteral("README") << QByteArray("application/octet-stream");
        QTest::newRow("dot in dir only")
            << QStringLiteral("a.js/README") << QByteArray("application/octet-stream");
        QTest::newRow("trailing dot")
            << QStringLiteral("a.") << QByteArray("application/octet-stream");
        QTest::newRow("empty") << QString() << QByteArray("application/octet-stream");
    }

    void mimeType()
    {
        QFETCH(QString, path);
        QTEST(mimeTypeForPath(path), "type");
    }
};

QTEST_GUILESS_MAIN(TestStaticFileStore)
#include "tst_staticfilestore.moc"
