// EventDispatcherChoice: the event-loop setting read before the QCoreApplication exists, from
// the command line, the environment or the INI file like every other setting; settings that
// can't be read leave the default (ConfigLoader reports them afterwards).

#include "server/app/eventdispatcherchoice.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::app::EventDispatcherChoice;
using flack::server::app::ServerConfig;
using Kind = ServerConfig::EventDispatcher;

Q_DECLARE_METATYPE(ServerConfig::EventDispatcher)

class TestEventDispatcherChoice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void choose_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<Kind>("expected");
        const QStringList none;
        QTest::newRow("default") << none << none << ServerConfig::kDefaultEventDispatcher;
        QTest::newRow("qt on the command line")
            << QStringList{u"--event-loop"_s, u"qt"_s} << none << Kind::Qt;
        QTest::newRow("qt in the environment")
            << none << QStringList{u"FLACK_EVENT_LOOP=QT"_s} << Kind::Qt;
        QTest::newRow("the winning source counts")
            << QStringList{u"--event-loop=qt"_s} << QStringList{u"FLACK_EVENT_LOOP=bogus"_s}
            << Kind::Qt;
        QTest::newRow("unknown value: default, reported later")
            << QStringList{u"--event-loop"_s, u"select"_s} << none
            << ServerConfig::kDefaultEventDispatcher;
        QTest::newRow("other settings are not checked here")
            << QStringList{u"--event-loop"_s, u"qt"_s, u"--port"_s, u"x"_s} << none << Kind::Qt;
        QTest::newRow("unparsable command line: default")
            << QStringList{u"--event-loop"_s, u"qt"_s, u"--frobnicate"_s} << none
            << ServerConfig::kDefaultEventDispatcher;
        QTest::newRow("help") << QStringList{u"--event-loop"_s, u"qt"_s, u"--help"_s} << none
                              << Kind::Qt;
        // TLS files are not read at this point, so a missing one does not change the choice.
        QTest::newRow("tls files not read yet")
            << QStringList{u"--event-loop"_s, u"qt"_s,        u"--tls-cert"_s,
                           u"/no/such.pem"_s, u"--tls-key"_s, u"/no/such.key"_s}
            << none << Kind::Qt;
#if defined(Q_OS_LINUX)
        QTest::newRow("command line over environment")
            << QStringList{u"--event-loop=qt"_s} << QStringList{u"FLACK_EVENT_LOOP=epoll"_s}
            << Kind::Qt;
        QTest::newRow("epoll") << QStringList{u"--event-loop"_s, u"epoll"_s}
                               << QStringList{u"FLACK_EVENT_LOOP=qt"_s} << Kind::Epoll;
#endif
    }

    void choose()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QStringList, environment);
        QFETCH(Kind, expected);
        arguments.prepend(u"flack-server"_s);
        QProcessEnvironment env;
        for (const QString &entry : std::as_const(environment))
            env.insert(entry.section(u'=', 0, 0), entry.section(u'=', 1));
        QCOMPARE(EventDispatcherChoice::choose(arguments, env), expected);
    }

    void chosenInTheConfigFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"flack.ini"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("[server]\nevent-loop=qt\n");
        file.close();
        QCOMPARE(EventDispatcherChoice::choose({u"flack-server"_s, u"--config"_s, path},
                                               QProcessEnvironment()),
                 Kind::Qt);
    }
};

QTEST_GUILESS_MAIN(TestEventDispatcherChoice)
#include "tst_eventdispatcherchoice.moc"
