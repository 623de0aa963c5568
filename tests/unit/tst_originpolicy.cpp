// OriginPolicy: no Origin (not a browser) and the page's own origin always pass, listed origins
// pass in any case and with or without their default port, everything else is refused.

#include "server/net/originpolicy.h"

#include <QTest>

using namespace flack::server::net;
using namespace Qt::StringLiterals;

class TestOriginPolicy : public QObject
{
    Q_OBJECT

private slots:
    void allows_data()
    {
        QTest::addColumn<QByteArray>("origin"); // "-": no Origin header
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("allowed");

        QTest::newRow("no Origin") << QByteArray("-") << QByteArray("chat.example:8080") << true;
        QTest::newRow("own origin, http")
            << QByteArray("http://chat.example:8080") << QByteArray("chat.example:8080") << true;
        QTest::newRow("own origin, https")
            << QByteArray("https://chat.example") << QByteArray("chat.example") << true;
        QTest::newRow("own origin, other case")
            << QByteArray("HTTP://Chat.Example:8080") << QByteArray("chat.example:8080") << true;
        QTest::newRow("own origin, default port in Host")
            << QByteArray("http://chat.example") << QByteArray("chat.example:80") << true;
        QTest::newRow("own origin, IPv6")
            << QByteArray("http://[::1]:8080") << QByteArray("[::1]:8080") << true;
        QTest::newRow("listed") << QByteArray("https://app.example") << QByteArray("x:1") << true;
        QTest::newRow("listed, explicit default port")
            << QByteArray("https://app.example:443") << QByteArray("x:1") << true;
        QTest::newRow("listed with its port")
            << QByteArray("http://localhost:3000") << QByteArray("x:1") << true;
        QTest::newRow("listed host, other port")
            << QByteArray("http://localhost:3001") << QByteArray("x:1") << false;
        QTest::newRow("listed host, other scheme")
            << QByteArray("http://app.example") << QByteArray("x:1") << false;
        QTest::newRow("foreign") << QByteArray("https://evil.example") << QByteArray("chat.example")
                                 << false;
        QTest::newRow("own host, other port")
            << QByteArray("http://chat.example:9999") << QByteArray("chat.example:8080") << false;
        QTest::newRow("suffix of own host")
            << QByteArray("http://evilchat.example") << QByteArray("chat.example") << false;
        QTest::newRow("null") << QByteArray("null") << QByteArray("chat.example") << false;
        QTest::newRow("empty Origin") << QByteArray("") << QByteArray("chat.example") << false;
        QTest::newRow("garbage") << QByteArray("http://") << QByteArray("chat.example") << false;
    }

    void allows()
    {
        QFETCH(QByteArray, origin);
        QFETCH(QByteArray, host);
        QFETCH(bool, allowed);
        const OriginPolicy policy({u"https://app.example"_s, u"http://localhost:3000"_s});
        const bool hasOrigin = origin != "-";
        QCOMPARE(policy.allows(hasOrigin ? origin : QByteArray(), hasOrigin, host), allowed);
    }

    void normalize()
    {
        QCOMPARE(OriginPolicy::normalize("https://A.Example:443/"),
                 QByteArray("https://a.example"));
        QCOMPARE(OriginPolicy::normalize("http://a.example:8080"),
                 QByteArray("http://a.example:8080"));
        QString problem;
        QVERIFY(OriginPolicy::normalize("a.example", &problem).isEmpty());
        QVERIFY(!problem.isEmpty());
        QVERIFY(OriginPolicy::normalize("https://a.example/x").isEmpty());
        QVERIFY(OriginPolicy::normalize("https://a.example?q").isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOriginPolicy)
#include "tst_originpolicy.moc"
