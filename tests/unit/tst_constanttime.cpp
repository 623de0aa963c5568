// constantTimeEquals: the answers (equal, unequal anywhere, lengths that differ); its timing
// is by construction, not measured.

#include "server/cluster/constanttime.h"

#include <QTest>

using flack::server::cluster::constantTimeEquals;

class TestConstantTime : public QObject
{
    Q_OBJECT
private slots:
    void compares_data();
    void compares();
};

void TestConstantTime::compares_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");
    const QByteArray mac =
        QByteArray::fromHex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    QByteArray lastBit = mac;
    lastBit[31] = char(lastBit[31] ^ 0x01);
    QByteArray firstByte = mac;
    firstByte[0] = char(firstByte[0] ^ 0x80);
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("same bytes") << mac << QByteArray(mac.constData(), mac.size()) << true;
    QTest::newRow("first byte differs") << mac << firstByte << false;
    QTest::newRow("last bit differs") << mac << lastBit << false;
    QTest::newRow("prefix") << mac << mac.left(31) << false;
    QTest::newRow("longer") << mac << mac + '\0' << false;
    QTest::newRow("empty against some") << QByteArray() << mac << false;
    QTest::newRow("zero bytes") << QByteArray(4, '\0') << QByteArray(4, '\0') << true;
    QTest::newRow("zeros against one")
        << QByteArray(4, '\0') << QByteArray::fromHex("00000001") << false;
}

void TestConstantTime::compares()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(constantTimeEquals(a, b), equal);
    QCOMPARE(constantTimeEquals(b, a), equal);
}

QTEST_APPLESS_MAIN(TestConstantTime)
#include "tst_constanttime.moc"
