// Generated user ids must be 32 lowercase hex digits (the web client colours users by the first
// six) and unpredictable; isGeneratedUserIdShape tells that shape apart from client-chosen ids.

#include "shared/userid.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace flack::protocol;

class TestUserId : public QObject
{
    Q_OBJECT

private slots:
    void generatedIdShape()
    {
        // The shape, written independently of isGeneratedUserIdShape.
        static const QRegularExpression hex32(QStringLiteral("^[0-9a-f]{32}$"));
        for (int i = 0; i < 100; ++i) {
            const QString id = generateUserId();
            QVERIFY2(hex32.match(id).hasMatch(), qPrintable(id));
            QVERIFY2(isGeneratedUserIdShape(id), qPrintable(id));
        }
    }

    void thousandIdsAreDistinct()
    {
        QSet<QString> ids;
        for (int i = 0; i < 1000; ++i)
            ids.insert(generateUserId());
        QCOMPARE(ids.size(), 1000);
    }

    void everyDigitAppearsAtEveryPosition()
    {
        // A nibble-extraction bug (a wrong shift, a fixed word) would pin some positions to a
        // few digits. With 2000 random ids a digit is missing from a position with probability
        // (15/16)^2000 < 1e-56, so this cannot fail by chance.
        QList<QSet<QChar>> seen(32);
        for (int i = 0; i < 2000; ++i) {
            const QString id = generateUserId();
            QCOMPARE(id.size(), 32);
            for (int p = 0; p < 32; ++p)
                seen[p].insert(id.at(p));
        }
        for (int p = 0; p < 32; ++p)
            QVERIFY2(seen[p].size() == 16, qPrintable(QStringLiteral("position %1").arg(p)));
    }

    void shapeCheck_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("expected");
        QTest::newRow("lowercase hex")
            << QStringLiteral("0123456789abcdef0123456789abcdef") << true;
        QTest::newRow("all zeros") << QString(32, u'0') << true;
        QTest::newRow("all f") << QString(32, u'f') << true;
        QTest::newRow("uppercase hex")
            << QStringLiteral("0123456789ABCDEF0123456789ABCDEF") << false;
        QTest::newRow("one uppercase")
            << QStringLiteral("0123456789abcdeF0123456789abcdef") << false;
        QTest::newRow("31 digits") << QString(31, u'a') << false;
        QTest::newRow("33 digits") << QString(33, u'a') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("g is not hex")
            << QStringLiteral("0123456789abcdeg0123456789abcdef") << false;
        QTest::newRow("uuid with dashes")
            << QStringLiteral("01234567-89ab-cdef-0123-456789abcdef") << false;
        QTest::newRow("space inside")
            << QStringLiteral("0123456789abcde 0123456789abcdef") << false;
        QTest::newRow("trailing newline") << (QString(31, u'a') + QLatin1Char('\n')) << false;
        QTest::newRow("fullwidth a") << (QString(31, u'a') + QChar(0xFF41)) << false;
        QTest::newRow("arabic-indic digit") << (QString(31, u'a') + QChar(0x0660)) << false;
        QTest::newRow("client-chosen name") << QStringLiteral("alice") << false;
    }

    void shapeCheck()
    {
        QFETCH(QString, id);
        QFETCH(bool, expected);
        QCOMPARE(flack::protocol::isGeneratedUserIdShape(id), expected);
    }
};

QTEST_APPLESS_MAIN(TestUserId)
#include "tst_userid.moc"
