// The conversation rules flack-client enforces: each server record only where the protocol
// allows it. Each row is a scripted conversation (client sends ">", server records "<" as
// compact JSON) and either passes or fails at a named step with a named violation.

#include "tools/core/conversationvalidator.h"

#include <QTest>

using flack::tools::ConversationValidator;

namespace {

const char *ts = "2024-01-01T00:00:00Z";

QByteArray joined(const char *chat, const char *name, const char *id, int sequence)
{
    return QStringLiteral(
               R"({"record":"joined","chat_name":"%1","user_name":"%2","user_id":"%3","timestamp":"%4","sequence":%5})")
        .arg(QLatin1StringView(chat), QLatin1StringView(name), QLatin1StringView(id),
             QLatin1StringView(ts))
        .arg(sequence)
        .toUtf8();
}

QByteArray message(const char *chat, const char *id, int sequence)
{
    return QStringLiteral(
               R"({"record":"chat_message","chat_name":"%1","user_id":"%2","mime_type":"text/plain","message":"m","timestamp":"%3","sequence":%4})")
        .arg(QLatin1StringView(chat), QLatin1StringView(id), QLatin1StringView(ts))
        .arg(sequence)
        .toUtf8();
}

QByteArray left(const char *chat, const char *id, int sequence)
{
    return QStringLiteral(
               R"({"record":"left","chat_name":"%1","user_id":"%2","timestamp":"%3","sequence":%4})")
        .arg(QLatin1StringView(chat), QLatin1StringView(id), QLatin1StringView(ts))
        .arg(sequence)
        .toUtf8();
}

const QByteArray hello = R"({"record":"server_hello","protocol_version":"1.0"})";
const QByteArray authenticated = R"({"record":"authenticated","user_id":"me"})";
const QByteArray emptyState = R"({"record":"chat_state","chat_name":"c","users":[]})";
const QByteArray pingReply = R"({"record":"ping_reply"})";
const QByteArray goodbye = R"({"record":"server_goodbye"})";

// A step is either something the client sends (">hello", ">auth", ">join c", ">leave c",
// ">ping", ">bye") or a server record.
using Script = QList<QByteArray>;

Script loggedInAndJoined()
{
    return {">hello",
            hello,
            ">auth",
            authenticated,
            ">join c",
            emptyState,
            joined("c", "hoser", "me", 1)};
}

} // namespace

class TestConversationValidator : public QObject
{
    Q_OBJECT
private slots:
    void conversation_data();
    void conversation();
};

void TestConversationValidator::conversation_data()
{
    QTest::addColumn<Script>("script");
    QTest::addColumn<int>("failingStep"); // -1: the whole script is valid
    QTest::addColumn<QString>("mentions");

    const Script base = loggedInAndJoined();
    QTest::newRow("reference client run")
        << (base +
            Script{
                ">join c2",
                R"({"record":"chat_state","chat_name":"c2","users":[{"record":"chat_user","user_name":"x","user_id":"x1"}]})",
                joined("c2", "hoser", "me", 4), message("c", "me", 2), ">ping", pingReply,
                joined("c", "bob", "b", 3), message("c", "b", 4), ">leave c", message("c", "b", 5),
                left("c", "me", 6), ">bye", goodbye})
        << -1 << QString();
    QTest::newRow("pipelined hello and authenticate")
        << Script{">hello", ">auth", hello, authenticated} << -1 << QString();
    QTest::newRow("protocol_error is allowed and final")
        << Script{">hello", R"({"record":"protocol_error","code":"CHAT-001","reason":"r"})", hello}
        << 2 << QStringLiteral("after the server ended");
    QTest::newRow("record before hello")
        << Script{hello} << 0 << QStringLiteral("before the client sent client_hello");
    QTest::newRow("authenticated before server_hello")
        << Script{">hello", ">auth", authenticated} << 2
        << QStringLiteral("no authenticate was pending");
    QTest::newRow("second server_hello")
        << Script{">hello", hello, hello} << 2 << QStringLiteral("server_hello when none was due");
    QTest::newRow("chat_state without join")
        << Script{">hello", hello, ">auth", authenticated, emptyState} << 4
        << QStringLiteral("not joined");
    QTest::newRow("chat event before authenticated")
        << Script{">hello", hello, message("c", "x", 1)} << 2
        << QStringLiteral("before authentication");
    QTest::newRow("message before chat_state")
        << Script{">hello", hello, ">auth", authenticated, ">join c", message("c", "x", 1)} << 5
        << QStringLiteral("before its chat_state");
    QTest::newRow("other's joined where own was due") << Script{">hello",
                                                                hello,
                                                                ">auth",
                                                                authenticated,
                                                                ">join c",
                                                                emptyState,
                                                                joined("c", "bob", "b", 1)}
                                                      << 6 << QStringLiteral("own joined was due");
    QTest::newRow("own joined with wrong name") << Script{">hello",
                                                          hello,
                                                          ">auth",
                                                          authenticated,
                                                          ">join c",
                                                          emptyState,
                                                          joined("c", "other", "me", 1)}
                                                << 6 << QStringLiteral("names user");
    QTest::newRow("chat_state lists the joiner")
        << Script{">hello",
                  hello,
                  ">auth",
                  authenticated,
                  ">join c",
                  R"({"record":"chat_state","chat_name":"c","users":[{"record":"chat_user","user_name":"hoser","user_id":"me"}]})"}
        << 5 << QStringLiteral("lists the joiner");
    QTest::newRow("sequence repeats") << (base + Script{message("c", "me", 1)}) << 7
                                      << QStringLiteral("not above the previous 1");
    QTest::newRow("sequence goes back") << (base + Script{message("c", "me", 5), left("c", "b", 4)})
                                        << 8 << QStringLiteral("sequence 4");
    QTest::newRow("message for another chat")
        << (base + Script{message("d", "b", 2)}) << 7
        << QStringLiteral("\"d\" which this client has not joined");
    QTest::newRow("own left without leave")
        << (base + Script{left("c", "me", 2)}) << 7 << QStringLiteral("without a leave_chat");
    QTest::newRow("message after own left")
        << (base + Script{">leave c", left("c", "me", 2), message("c", "b", 3)}) << 9
        << QStringLiteral("not joined");
    QTest::newRow("ping_reply without ping")
        << (base + Script{pingReply}) << 7 << QStringLiteral("without a ping");
    QTest::newRow("two replies for one ping")
        << (base + Script{">ping", pingReply, pingReply}) << 9 << QStringLiteral("without a ping");
    QTest::newRow("server_goodbye unasked")
        << (base + Script{goodbye}) << 7 << QStringLiteral("before the client sent client_goodbye");
    QTest::newRow("anything after server_goodbye") << (base + Script{">bye", goodbye, pingReply})
                                                   << 9 << QStringLiteral("after the server ended");
}

void TestConversationValidator::conversation()
{
    QFETCH(Script, script);
    QFETCH(int, failingStep);
    QFETCH(QString, mentions);

    ConversationValidator validator;
    for (int i = 0; i < script.size(); ++i) {
        const QByteArray &step = script.at(i);
        if (step.startsWith('>')) {
            const QString command = QString::fromUtf8(step.mid(1));
            if (command == u"hello")
                validator.sentHello();
            else if (command == u"auth")
                validator.sentAuthenticate(QStringLiteral("hoser"));
            else if (command.startsWith(u"join "))
                validator.sentJoin(command.mid(5));
            else if (command.startsWith(u"leave "))
                validator.sentLeave(command.mid(6));
            else if (command == u"ping")
                validator.sentPing();
            else if (command == u"bye")
                validator.sentGoodbye();
            else
                QFAIL("bad script step");
            continue;
        }
        const auto decoded = flack::protocol::decodeServerRecord(step);
        QVERIFY2(decoded.ok, qPrintable(decoded.violation));
        const QString violation = validator.check(decoded.record);
        if (i == failingStep) {
            QVERIFY2(!violation.isEmpty(), qPrintable(QStringLiteral("step %1 passed").arg(i)));
            QVERIFY2(violation.contains(mentions), qPrintable(violation));
            return;
        }
        QVERIFY2(violation.isEmpty(), qPrintable(QStringLiteral("step %1: ").arg(i) + violation));
    }
    QCOMPARE(failingStep, -1);
}

QTEST_GUILESS_MAIN(TestConversationValidator)
#include "tst_conversationvalidator.moc"
