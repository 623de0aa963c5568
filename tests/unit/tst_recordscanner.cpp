// The bench's JSON-free field lookup: finds real keys only, whatever the order and spacing,
// and is not fooled by key-like text inside string values.

#include "tools/core/recordscanner.h"

#include <QTest>

using flack::tools::RecordScanner;

class TestRecordScanner : public QObject
{
    Q_OBJECT
private slots:
    void strings_data();
    void strings();
    void integers_data();
    void integers();
};

void TestRecordScanner::strings_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QByteArray>("value");
    QTest::newRow("first") << QByteArray(R"({"record":"joined","x":1})") << QByteArray("record")
                           << true << QByteArray("joined");
    QTest::newRow("spaces") << QByteArray(R"({ "record" : "ping_reply" })") << QByteArray("record")
                            << true << QByteArray("ping_reply");
    QTest::newRow("escaped quote kept raw")
        << QByteArray(R"({"message":"a\"b","record":"r"})") << QByteArray("message") << true
        << QByteArray(R"(a\"b)");
    QTest::newRow("key text inside a value")
        << QByteArray(R"({"message":"\"record\":\"fake\"","record":"real"})")
        << QByteArray("record") << true << QByteArray("real");
    QTest::newRow("suffix of another key")
        << QByteArray(R"({"xrecord":"no"})") << QByteArray("record") << false << QByteArray();
    QTest::newRow("not a string") << QByteArray(R"({"record":5})") << QByteArray("record") << false
                                  << QByteArray();
    QTest::newRow("unterminated") << QByteArray(R"({"record":"abc)") << QByteArray("record")
                                  << false << QByteArray();
}

void TestRecordScanner::strings()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, key);
    QFETCH(bool, found);
    QFETCH(QByteArray, value);
    std::string_view got;
    QCOMPARE(
        RecordScanner::stringField(std::string_view(json.constData(), std::size_t(json.size())),
                                   std::string_view(key.constData(), std::size_t(key.size())), got),
        found);
    if (found)
        QCOMPARE(QByteArray(got.data(), qsizetype(got.size())), value);
}

void TestRecordScanner::integers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("found");
    QTest::addColumn<qint64>("value");
    QTest::newRow("last") << QByteArray(R"({"record":"left","sequence":12345})") << true
                          << qint64(12345);
    QTest::newRow("middle spaced")
        << QByteArray(R"({"sequence" : 7 ,"x":"y"})") << true << qint64(7);
    QTest::newRow("negative") << QByteArray(R"({"sequence":-2})") << true << qint64(-2);
    QTest::newRow("fraction") << QByteArray(R"({"sequence":1.5})") << false << qint64(0);
    QTest::newRow("string") << QByteArray(R"({"sequence":"1"})") << false << qint64(0);
    QTest::newRow("absent") << QByteArray(R"({"record":"x"})") << false << qint64(0);
    QTest::newRow("largest") << QByteArray(R"({"sequence":9223372036854775807})") << true
                             << qint64(9223372036854775807);
    QTest::newRow("smallest") << QByteArray(R"({"sequence":-9223372036854775808})") << true
                              << qint64(-9223372036854775807 - 1);
    // Found by tests/fuzz (fuzz_ws_frame): the digits used to overflow a signed integer.
    QTest::newRow("past largest") << QByteArray(R"({"sequence":9223372036854775808})") << false
                                  << qint64(0);
    QTest::newRow("past smallest")
        << QByteArray(R"({"sequence":-9223372036854775809})") << false << qint64(0);
    QTest::newRow("twenty digits")
        << QByteArray(R"({"sequence":88888888888888888888})") << false << qint64(0);
}

void TestRecordScanner::integers()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, found);
    QFETCH(qint64, value);
    std::int64_t got = 0;
    QCOMPARE(RecordScanner::integerField(
                 std::string_view(json.constData(), std::size_t(json.size())), "sequence", got),
             found);
    if (found)
        QCOMPARE(qint64(got), value);
}

QTEST_GUILESS_MAIN(TestRecordScanner)
#include "tst_recordscanner.moc"
