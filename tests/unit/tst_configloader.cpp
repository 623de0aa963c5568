// ConfigLoader: defaults, each source, precedence (command line > environment > file >
// default), and a clear one-line error for every kind of bad input.

#include "server/app/configloader.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::app::ConfigLoader;
using flack::server::app::ConfigResult;

class TestConfigLoader : public QObject
{
    Q_OBJECT

    static ConfigResult load(QStringList arguments, const QStringList &environment = {})
    {
        arguments.prepend(u"flack-server"_s);
        QProcessEnvironment env;
        for (const QString &entry : environment)
            env.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
        return ConfigLoader::load(arguments, env);
    }

    QString writeFile(const QByteArray &content)
    {
        const QString path = m_dir.filePath(u"flack%1.ini"_s.arg(++m_files));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write test config");
        file.write(content);
        return path;
    }

    QTemporaryDir m_dir;
    int m_files = 0;

private Q_SLOTS:
    void defaults()
    {
        const ConfigResult result = load({});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(8080));
        QCOMPARE(result.config.idleTimeoutSeconds, 60);
        QCOMPARE(result.config.maxMessageBytes, 65536);
        QCOMPARE(result.config.maxConnections, 10000);
        QCOMPARE(result.config.maxNameBytes, 256);
        QCOMPARE(result.config.maxChatsPerConnection, 1000);
        QCOMPARE(result.config.maxRooms, 100000);
        QVERIFY(result.config.webRoot.isEmpty());
        QCOMPARE(result.config.bindAddress, QHostAddress(QHostAddress::Any));
    }

    void commandLineValues()
    {
        const ConfigResult result = load(
            {u"--port"_s, u"9000"_s, u"--bind"_s, u"127.0.0.1"_s, u"--idle-timeout"_s, u"2"_s,
             u"--max-message-bytes"_s, u"1024"_s, u"--max-connections"_s, u"5"_s, u"--log-level"_s,
             u"warning"_s, u"--web-root"_s, m_dir.path(), u"--max-rooms"_s, u"7"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(9000));
        QCOMPARE(result.config.bindAddress, QHostAddress(u"127.0.0.1"_s));
        QCOMPARE(result.config.idleTimeoutSeconds, 2);
        QCOMPARE(result.config.maxMessageBytes, 1024);
        QCOMPARE(result.config.maxConnections, 5);
        QCOMPARE(result.config.logLevel, u"warning"_s);
        QCOMPARE(result.config.maxRooms, 7);
        QCOMPARE(result.config.webRoot, QDir(m_dir.path()).absolutePath());
    }

    void precedence()
    {
        const QString file = writeFile("port=1111\nidle-timeout=11\nmax-connections=111\n");
        // File only.
        ConfigResult result = load({u"--config"_s, file});
        QCOMPARE(result.config.port, quint16(1111));
        QCOMPARE(result.config.idleTimeoutSeconds, 11);
        // Environment beats file.
        result = load({u"--config"_s, file}, {u"FLACK_PORT=2222"_s, u"FLACK_IDLE_TIMEOUT=22"_s});
        QCOMPARE(result.config.port, quint16(2222));
        QCOMPARE(result.config.idleTimeoutSeconds, 22);
        QCOMPARE(result.config.maxConnections, 111);
        // Command line beats both.
        result = load({u"--config"_s, file, u"--port"_s, u"3333"_s}, {u"FLACK_PORT=2222"_s});
        QCOMPARE(result.config.port, quint16(3333));
        // The config file may also come from the environment.
        result = load({}, {u"FLACK_CONFIG="_s + file});
        QCOMPARE(result.config.port, quint16(1111));
    }

    void serverSectionInFile()
    {
        const QString file = writeFile("[server]\nport=4444\n");
        const ConfigResult result = load({u"--config"_s, file});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Run);
        QCOMPARE(result.config.port, quint16(4444));
    }

    void helpAndVersion()
    {
        ConfigResult result = load({u"--help"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::ShowText);
        QVERIFY(result.text.contains(u"--max-connections"_s));
        QVERIFY(result.text.contains(u"FLACK_"_s));
        result = load({u"--version"_s});
        QCOMPARE(result.outcome, ConfigResult::Outcome::ShowText);
        QVERIFY(result.text.startsWith(u"flack-server "_s));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<QString>("mentions");

        const QStringList none;
        QTest::newRow("port not a number")
            << QStringList{u"--port"_s, u"abc"_s} << none << u"port"_s;
        QTest::newRow("port too big") << QStringList{u"--port"_s, u"70000"_s} << none << u"70000"_s;
        QTest::newRow("negative idle")
            << QStringList{u"--idle-timeout"_s, u"-1"_s} << none << u"idle-timeout"_s;
        QTest::newRow("bad bind") << QStringList{u"--bind"_s, u"nowhere.example"_s} << none
                                  << u"bind"_s;
        QTest::newRow("tiny message limit")
            << QStringList{u"--max-message-bytes"_s, u"1"_s} << none << u"max-message-bytes"_s;
        QTest::newRow("zero connections")
            << QStringList{u"--max-connections"_s, u"0"_s} << none << u"max-connections"_s;
        QTest::newRow("zero rooms")
            << QStringList{u"--max-rooms"_s, u"0"_s} << none << u"max-rooms"_s;
        QTest::newRow("bad level")
            << QStringList{u"--log-level"_s, u"loud"_s} << none << u"log-level"_s;
        QTest::newRow("missing web root")
            << QStringList{u"--web-root"_s, u"/no/such/dir"_s} << none << u"web-root"_s;
        QTest::newRow("unknown option") << QStringList{u"--colour"_s} << none << u"colour"_s;
        QTest::newRow("missing value") << QStringList{u"--port"_s} << none << u"port"_s;
        QTest::newRow("positional") << QStringList{u"extra"_s} << none << u"extra"_s;
        QTest::newRow("bad environment")
            << QStringList{} << QStringList{u"FLACK_PORT=x"_s} << u"FLACK_PORT"_s;
        QTest::newRow("missing config file")
            << QStringList{u"--config"_s, u"/no/such/file.ini"_s} << none << u"/no/such/file.ini"_s;
    }

    void errors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(QString, mentions);
        const ConfigResult result = load(arguments, environment);
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(mentions), qPrintable(result.text));
        QVERIFY(result.text.startsWith(u"flack-server: "_s));
        QVERIFY2(!result.text.contains(u'\n'), "errors are one line");
    }

    void fileErrors()
    {
        ConfigResult result = load({u"--config"_s, writeFile("prot=1\n")});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"unknown setting 'prot'"_s), qPrintable(result.text));
        result = load({u"--config"_s, writeFile("port=lots\n")});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"lots"_s), qPrintable(result.text));
        result = load({u"--config"_s, m_dir.path()});
        QCOMPARE(result.outcome, ConfigResult::Outcome::Error);
        QVERIFY2(result.text.contains(u"not a readable file"_s), qPrintable(result.text));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
