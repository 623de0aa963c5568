// JsonWriter replaces QJsonDocument on the hot path, so its output must be JSON that any parser
// accepts and that round-trips every string byte-exact (docs/protocol.md: names and messages may
// hold any Unicode, quotes, backslashes, newlines). QJsonDocument is the independent judge here.

#include "shared/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace flack::protocol;

namespace {

QJsonObject parseObject(const QByteArray &json, bool *ok)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

QString fromUtf16(std::initializer_list<char16_t> units)
{
    return QString(reinterpret_cast<const QChar *>(units.begin()), qsizetype(units.size()));
}

} // namespace

class TestJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    // Exact escaped output: JSON allows several spellings, but the writer's must be valid
    // and minimal (only what RFC 8259 requires is escaped; UTF-8 passes through untouched).
    void escaping_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QStringLiteral("hello") << QByteArray("\"hello\"");
        QTest::newRow("empty") << QString() << QByteArray("\"\"");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QByteArray("\"say \\\"hi\\\"\"");
        QTest::newRow("backslash") << QStringLiteral("a\\b") << QByteArray("\"a\\\\b\"");
        QTest::newRow("backslash before quote")
            << QStringLiteral("\\\"") << QByteArray("\"\\\\\\\"\"");
        QTest::newRow("trailing backslash") << QStringLiteral("end\\") << QByteArray("\"end\\\\\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QByteArray("\"a\\nb\"");
        QTest::newRow("carriage return") << QStringLiteral("a\r\nb") << QByteArray("\"a\\r\\nb\"");
        QTest::newRow("tab") << QStringLiteral("\tx\t") << QByteArray("\"\\tx\\t\"");
        QTest::newRow("backspace") << QStringLiteral("\b") << QByteArray("\"\\b\"");
        QTest::newRow("form feed") << QStringLiteral("\f") << QByteArray("\"\\f\"");
        QTest::newRow("nul") << QString(QChar(0)) << QByteArray("\"\\u0000\"");
        QTest::newRow("u0001") << QString(QChar(0x01)) << QByteArray("\"\\u0001\"");
        QTest::newRow("u001f") << QString(QChar(0x1f)) << QByteArray("\"\\u001f\"");
        QTest::newRow("u001b escape") << QStringLiteral("\x1b[0m") << QByteArray("\"\\u001b[0m\"");
        QTest::newRow("space is not escaped") << QStringLiteral(" ") << QByteArray("\" \"");
        QTest::newRow("slash is not escaped")
            << QStringLiteral("</script>") << QByteArray("\"</script>\"");
        QTest::newRow("DEL is not escaped") << QString(QChar(0x7f)) << QByteArray("\"\x7f\"");
        QTest::newRow("e acute") << QString(QChar(0xe9)) << QByteArray("\"\xc3\xa9\"");
        QTest::newRow("CJK") << fromUtf16({0x4f60, 0x597d})
                             << QByteArray("\"\xe4\xbd\xa0\xe5\xa5\xbd\"");
        QTest::newRow("RTL hebrew") << fromUtf16({0x05e9, 0x05dc, 0x05d5, 0x05dd})
                                    << QByteArray("\"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d\"");
        QTest::newRow("emoji outside BMP")
            << fromUtf16({0xd83d, 0xde00}) << QByteArray("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("LINE SEPARATOR passes through")
            << fromUtf16({0x2028}) << QByteArray("\"\xe2\x80\xa8\"");
        // U+FEFF is escaped: QJsonDocument drops a raw one at the start of a string.
        QTest::newRow("BOM opening a string")
            << fromUtf16({0xfeff, 0x78}) << QByteArray("\"\\ufeffx\"");
        QTest::newRow("BOM inside a string")
            << fromUtf16({0x61, 0xfeff, 0xfeff}) << QByteArray("\"a\\ufeff\\ufeff\"");
        // Neighbours sharing the EF lead byte are not escaped.
        QTest::newRow("U+FEFE and U+FFFD pass through")
            << fromUtf16({0xfefe, 0xfffd}) << QByteArray("\"\xef\xbb\xbe\xef\xbf\xbd\"");
        QTest::newRow("mixed") << (QStringLiteral("\"q\"\n") + fromUtf16({0xd83d, 0xde80}) +
                                   QStringLiteral("\\"))
                               << QByteArray("\"\\\"q\\\"\\n\xf0\x9f\x9a\x80\\\\\"");
    }

    void escaping()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, expected);
        QByteArray out;
        JsonWriter::appendString(out, input.toUtf8());
        QCOMPARE(out, expected);
        // And the same through the QStringView overload of field().
        QCOMPARE(JsonWriter().field("v", input).finish(), "{\"v\":" + expected + '}');
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("empty") << QString();
        QTest::newRow("quotes and backslashes") << QStringLiteral("\"\\\"\\\\\"");
        QTest::newRow("newlines and tabs") << QStringLiteral("line1\nline2\r\n\tindented\n");
        QTest::newRow("u0001 and u001f") << (QChar(0x01) + QStringLiteral("x") + QChar(0x1f));
        QTest::newRow("emoji") << fromUtf16({0xd83d, 0xde00, 0x20, 0xd83d, 0xdc4d, 0xd83c, 0xdffd});
        QTest::newRow("family ZWJ sequence")
            << fromUtf16({0xd83d, 0xdc68, 0x200d, 0xd83d, 0xdc69, 0x200d, 0xd83d, 0xdc67});
        QTest::newRow("RTL arabic with LTR digits")
            << (fromUtf16({0x0645, 0x0631, 0x062d, 0x0628, 0x0627}) + QStringLiteral(" 123"));
        QTest::newRow("RTL override mark") << fromUtf16({0x202e, 0x61, 0x62, 0x202c});
        QTest::newRow("CJK") << fromUtf16({0x6f22, 0x5b57, 0x3001, 0x304b, 0x306a, 0xd55c});
        QTest::newRow("BOM and combining") << fromUtf16({0xfeff, 0x65, 0x301, 0x6e, 0x303});
        QTest::newRow("leading BOM") << fromUtf16({0xfeff, 0x68, 0x69});
        QTest::newRow("only BOM") << fromUtf16({0xfeff});
        QTest::newRow("long") << QString(10000, QChar(0x4e00));

        // Every control character, one string each way.
        QString controls;
        for (char16_t c = 0; c < 0x20; ++c)
            controls.append(QChar(c));
        QTest::newRow("all C0 controls") << controls;
    }

    void roundTrip()
    {
        QFETCH(QString, value);
        const QByteArray json = JsonWriter().field("v", value).finish();
        bool ok = false;
        const QJsonObject object = parseObject(json, &ok);
        QVERIFY2(ok, json.constData());
        QCOMPARE(object.size(), 1);
        QVERIFY(object.value(QLatin1StringView("v")).isString());
        const QString decoded = object.value(QLatin1StringView("v")).toString();
        QCOMPARE(decoded, value);
        QCOMPARE(decoded.toUtf8(), value.toUtf8());
        // Raw control bytes are illegal inside JSON strings: none may survive unescaped.
        for (char c : json)
            QVERIFY(static_cast<unsigned char>(c) >= 0x20);
    }

    // escapedSize() predicts what appendString() writes (names are limited by it).
    void escapedSizeMatchesAppendString_data() { roundTrip_data(); }
    void escapedSizeMatchesAppendString()
    {
        QFETCH(QString, value);
        QByteArray out;
        JsonWriter::appendString(out, value.toUtf8());
        QCOMPARE(JsonWriter::escapedSize(value.toUtf8()), out.size() - 2);
    }

    void escapedSizeOfEachByte()
    {
        // Every single byte, valid UTF-8 or not, and a truncated BOM at the end.
        for (int c = 0; c < 256; ++c) {
            const QByteArray one(1, char(c));
            QByteArray out;
            JsonWriter::appendString(out, one);
            QCOMPARE(JsonWriter::escapedSize(one), out.size() - 2);
        }
        for (const QByteArray &bytes : {QByteArray("\xEF\xBB"), QByteArray("a\xEF"),
                                        QByteArray("\xEF\xBB\xBF\xEF\xBB\xBF")}) {
            QByteArray out;
            JsonWriter::appendString(out, bytes);
            QCOMPARE(JsonWriter::escapedSize(bytes), out.size() - 2);
        }
    }

    void eachControlCharacterIsEscaped()
    {
        for (char16_t c = 0; c < 0x20; ++c) {
            QByteArray out;
            JsonWriter::appendString(out, QString(QChar(c)).toUtf8());
            bool ok = false;
            const QJsonObject object = parseObject("{\"v\":" + out + '}', &ok);
            QVERIFY2(ok, out.constData());
            QCOMPARE(object.value(QLatin1StringView("v")).toString(), QString(QChar(c)));
        }
    }

    void emptyObject() { QCOMPARE(JsonWriter().finish(), QByteArray("{}")); }

    void compactFieldsInOrder()
    {
        const QByteArray json = JsonWriter()
                                    .fieldUtf8("record", "x")
                                    .field("name", QStringView(u"n\u00e9"))
                                    .field("count", qint64(7))
                                    .field("code", QLatin1StringView("CHAT-001"))
                                    .finish();
        QCOMPARE(json, QByteArray("{\"record\":\"x\",\"name\":\"n\xc3\xa9\",\"count\":7,"
                                  "\"code\":\"CHAT-001\"}"));
    }

    void integers_data()
    {
        QTest::addColumn<qint64>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("zero") << qint64(0) << QByteArray("0");
        QTest::newRow("one") << qint64(1) << QByteArray("1");
        QTest::newRow("negative") << qint64(-42) << QByteArray("-42");
        QTest::newRow("above 32 bits") << qint64(5000000000) << QByteArray("5000000000");
        QTest::newRow("2^53") << (qint64(1) << 53) << QByteArray("9007199254740992");
        QTest::newRow("max") << std::numeric_limits<qint64>::max()
                             << QByteArray("9223372036854775807");
        QTest::newRow("min") << std::numeric_limits<qint64>::min()
                             << QByteArray("-9223372036854775808");
    }

    void integers()
    {
        QFETCH(qint64, value);
        QFETCH(QByteArray, expected);
        const QByteArray json = JsonWriter().field("n", value).finish();
        QCOMPARE(json, "{\"n\":" + expected + '}');
        bool ok = false;
        const QJsonObject object = parseObject(json, &ok);
        QVERIFY(ok);
        // A JSON number, not a string; exact as long as a double can hold it.
        QVERIFY(object.value(QLatin1StringView("n")).isDouble());
        if (value > -(qint64(1) << 53) && value <= (qint64(1) << 53))
            QCOMPARE(object.value(QLatin1StringView("n")).toInteger(), value);
    }

    void rawFieldInsertsJsonVerbatim()
    {
        const QByteArray json =
            JsonWriter().fieldUtf8("a", "b").rawField("list", "[{\"x\":1},[]]").finish();
        QCOMPARE(json, QByteArray("{\"a\":\"b\",\"list\":[{\"x\":1},[]]}"));
        bool ok = false;
        const QJsonObject object = parseObject(json, &ok);
        QVERIFY(ok);
        QVERIFY(object.value(QLatin1StringView("list")).isArray());
        QCOMPARE(object.value(QLatin1StringView("list")).toArray().size(), 2);
    }

    void keysAreWrittenVerbatim()
    {
        // Keys are the protocol's fixed ASCII names; the writer does not escape them.
        QCOMPARE(JsonWriter().fieldUtf8("user_id", "").finish(), QByteArray("{\"user_id\":\"\"}"));
    }
};

QTEST_APPLESS_MAIN(TestJsonWriter)
#include "tst_jsonwriter.moc"
