// The bench's message payload: sizes, round trip, and rejection of foreign text.

#include "tools/core/benchpayload.h"

#include <QTest>

using flack::tools::BenchPayload;

class TestBenchPayload : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip();
    void padsToSize();
    void rejectsForeign_data();
    void rejectsForeign();
};

void TestBenchPayload::roundTrip()
{
    std::string text = "prefix";
    const BenchPayload sent{4242, 123456789012ull, 987654321098765ll};
    sent.appendTo(text, 100);
    BenchPayload got;
    QVERIFY(BenchPayload::parse(std::string_view(text).substr(6), got));
    QCOMPARE(got.sender, sent.sender);
    QCOMPARE(got.counter, sent.counter);
    QCOMPARE(got.sendTimeNs, sent.sendTimeNs);
}

void TestBenchPayload::padsToSize()
{
    std::string text;
    BenchPayload{1, 2, 3}.appendTo(text, 100);
    QCOMPARE(text.size(), std::size_t(100));
    QVERIFY(text.find_first_of("\"\\") == std::string::npos); // nothing JSON must escape
    std::string longer;
    BenchPayload{1, 2, 3}.appendTo(longer, 4); // too small: never truncated
    QVERIFY(longer.size() > 4);
}

void TestBenchPayload::rejectsForeign_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("cats") << QByteArray("I like cats");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("truncated") << QByteArray("fb:1:2:");
    QTest::newRow("letters") << QByteArray("fb:a:2:3:");
}

void TestBenchPayload::rejectsForeign()
{
    QFETCH(QByteArray, text);
    BenchPayload payload;
    QVERIFY(!BenchPayload::parse(std::string_view(text.constData(), std::size_t(text.size())),
                                 payload));
}

QTEST_GUILESS_MAIN(TestBenchPayload)
#include "tst_benchpayload.moc"
