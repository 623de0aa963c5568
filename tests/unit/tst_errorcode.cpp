// Error codes are a wire contract: existing clients switch on the exact CHAT-*/CHAT_PROTOCOL-*
// strings (docs/protocol.md, "Errors"), so every enum value is pinned to its documented string
// here.

#include "shared/errorcode.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace flack::protocol;

Q_DECLARE_METATYPE(flack::protocol::ErrorCode)

class TestErrorCode : public QObject
{
    Q_OBJECT

private:
    // Every enum value, written out here (not derived from the code under test) so a value
    // added to the enum without a row below shows up in review of this list.
    static QList<ErrorCode> allCodes()
    {
        return {ErrorCode::InvalidHello,
                ErrorCode::UnsupportedVersion,
                ErrorCode::UnexpectedFrameType,
                ErrorCode::Malformed,
                ErrorCode::NotAuthenticated,
                ErrorCode::AlreadyAuthenticated,
                ErrorCode::InvalidUserName,
                ErrorCode::InvalidChatName,
                ErrorCode::AlreadyJoined,
                ErrorCode::InvalidChatMessage,
                ErrorCode::NotJoined,
                ErrorCode::MessageTooLarge,
                ErrorCode::NameTooLong,
                ErrorCode::TooManyChats,
                ErrorCode::TooManyRooms,
                ErrorCode::Flooding,
                ErrorCode::KickedByAdmin,
                ErrorCode::AuthenticationTimeout};
    }

private slots:
    void wireString_data()
    {
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("expected");
        // The table from docs/protocol.md, "Errors".
        QTest::newRow("InvalidHello") << ErrorCode::InvalidHello << QStringLiteral("CHAT-001");
        QTest::newRow("UnsupportedVersion")
            << ErrorCode::UnsupportedVersion << QStringLiteral("CHAT-002");
        QTest::newRow("UnexpectedFrameType")
            << ErrorCode::UnexpectedFrameType << QStringLiteral("CHAT-003");
        QTest::newRow("Malformed") << ErrorCode::Malformed << QStringLiteral("CHAT_PROTOCOL-001");
        QTest::newRow("NotAuthenticated")
            << ErrorCode::NotAuthenticated << QStringLiteral("CHAT_PROTOCOL-002");
        QTest::newRow("AlreadyAuthenticated")
            << ErrorCode::AlreadyAuthenticated << QStringLiteral("CHAT_PROTOCOL-003");
        QTest::newRow("InvalidUserName")
            << ErrorCode::InvalidUserName << QStringLiteral("CHAT_PROTOCOL-004");
        QTest::newRow("InvalidChatName")
            << ErrorCode::InvalidChatName << QStringLiteral("CHAT_PROTOCOL-005");
        QTest::newRow("AlreadyJoined")
            << ErrorCode::AlreadyJoined << QStringLiteral("CHAT_PROTOCOL-006");
        QTest::newRow("InvalidChatMessage")
            << ErrorCode::InvalidChatMessage << QStringLiteral("CHAT_PROTOCOL-007");
        QTest::newRow("NotJoined") << ErrorCode::NotJoined << QStringLiteral("CHAT_PROTOCOL-008");
        // Our own additions, in the original's style (CHAT_LIMIT-NNN).
        QTest::newRow("MessageTooLarge")
            << ErrorCode::MessageTooLarge << QStringLiteral("CHAT_LIMIT-001");
        QTest::newRow("NameTooLong") << ErrorCode::NameTooLong << QStringLiteral("CHAT_LIMIT-002");
        QTest::newRow("TooManyChats")
            << ErrorCode::TooManyChats << QStringLiteral("CHAT_LIMIT-003");
        QTest::newRow("TooManyRooms")
            << ErrorCode::TooManyRooms << QStringLiteral("CHAT_LIMIT-004");
        QTest::newRow("Flooding") << ErrorCode::Flooding << QStringLiteral("CHAT_LIMIT-005");
        QTest::newRow("KickedByAdmin")
            << ErrorCode::KickedByAdmin << QStringLiteral("CHAT_ADMIN-001");
        QTest::newRow("AuthenticationTimeout")
            << ErrorCode::AuthenticationTimeout << QStringLiteral("CHAT_LIMIT-006");
    }

    void wireString()
    {
        QFETCH(ErrorCode, code);
        QFETCH(QString, expected);
        QCOMPARE(QString(errorCodeString(code)), expected);
    }

    void defaultReasonIsNonEmptyAscii_data() { wireString_data(); }

    void defaultReasonIsNonEmptyAscii()
    {
        QFETCH(ErrorCode, code);
        const QLatin1StringView reason = defaultReason(code);
        QVERIFY(!reason.isEmpty());
        // The encoder writes Latin-1 views straight into UTF-8 output; that is only correct
        // while every reason stays 7-bit ASCII.
        for (char c : reason)
            QVERIFY2(static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f,
                     qPrintable(QString(reason)));
        // A reason is prose, not the code repeated.
        QVERIFY(reason != errorCodeString(code));
    }

    void everyCodeHasTheDocumentedShape()
    {
        static const QRegularExpression shape(QStringLiteral(
            "^(CHAT-00[1-3]|CHAT_PROTOCOL-00[1-8]|CHAT_LIMIT-\\d{3}|CHAT_ADMIN-\\d{3})$"));
        for (ErrorCode code : allCodes()) {
            const QString s(errorCodeString(code));
            QVERIFY2(shape.match(s).hasMatch(), qPrintable(s));
        }
    }

    void codesAndReasonsAreDistinct()
    {
        // Two enum values sharing a wire string (or a reason) would make clients misread them.
        QSet<QString> codes;
        QSet<QString> reasons;
        for (ErrorCode code : allCodes()) {
            codes.insert(QString(errorCodeString(code)));
            reasons.insert(QString(defaultReason(code)));
        }
        QCOMPARE(codes.size(), allCodes().size());
        QCOMPARE(reasons.size(), allCodes().size());
    }
};

QTEST_APPLESS_MAIN(TestErrorCode)
#include "tst_errorcode.moc"
