// The admin codec is the contract between the server's /admin endpoint and flack-admin
// (docs/admin-protocol.md): the encoders must write the documented bytes exactly, every record
// must round-trip, and the decoders must refuse every way of breaking the rules in both
// directions (client records with the ADMIN-00x code the server sends back).

#include "shared/adminrecord.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <optional>

using namespace flack::protocol;

Q_DECLARE_METATYPE(flack::protocol::AdminErrorCode)

namespace {

// The examples of docs/admin-protocol.md, in compact form.
const QByteArray kDocHello = R"({"record":"admin_hello","protocol_version":"1.0","token":"…"})";
const QByteArray kDocKick =
    R"({"record":"kick_user","connection_id":"n2/k3x9a1/5","reason":"spamming"})";
const QByteArray kDocError =
    R"({"record":"admin_error","code":"ADMIN-001","reason":"wrong admin token"})";
const QByteArray kDocNode =
    R"({"name":"n1","incarnation":1796161751274,"address":"127.0.0.1:9191","version":"0.1.0",)"
    R"("status":"up","uptime_s":3600,"connections":120,"chats_owned":14,)"
    R"("messages_in_per_s":52.0,"messages_out_per_s":1840.5,"deliveries_per_s":1840.5,)"
    R"("links":[{"node":"n2","state":"up","rtt_ms":1}]})";
const QByteArray kDocChat =
    R"({"name":"lobby","owner":"n2","members":3,"messages_per_s":1.0,"last_sequence":57})";
const QByteArray kDocUser =
    R"({"connection_id":"n2/k3x9a1/5","user_id":"a1b2…","user_name":"Ann","node":"n2",)"
    R"("remote_address":"127.0.0.1:53122","connected_since":"2026-12-01T20:59:12Z",)"
    R"("chats":["lobby"],"messages_sent":12})";
const QByteArray kDocKickOk = R"({"record":"kick_result","connection_id":"n2/k3x9a1/5","ok":true})";
const QByteArray kDocKickFailed =
    R"({"record":"kick_result","connection_id":"n9/x/1","ok":false,"reason":"no such connection"})";
// The document's snapshot names n3 unreachable, so n3 is among its nodes with that status.
const QByteArray kUnreachableNode =
    R"({"name":"n3","incarnation":1796161751300,"address":"127.0.0.1:9193","version":"0.1.0",)"
    R"("status":"unreachable","uptime_s":10,"connections":0,"chats_owned":0,)"
    R"("messages_in_per_s":0.0,"messages_out_per_s":0.0,"deliveries_per_s":0.0,)"
    R"("links":[{"node":"n1","state":"down","rtt_ms":-1}]})";
const QByteArray kDocSnapshot =
    R"({"record":"cluster_snapshot","node":"n1","time":"2026-12-01T21:00:00Z","nodes":[)" +
    kDocNode + ',' + kUnreachableNode + R"(],"chats":[)" + kDocChat + R"(],"users":[)" + kDocUser +
    R"(],"unreachable":["n3"]})";
const QByteArray kDocUpdate =
    R"({"record":"cluster_update","node":"n1","time":"2026-12-01T21:00:01Z","nodes":[)" + kDocNode +
    R"(],"chats_changed":[)" + kDocChat + R"(],"chats_removed":["old"],)" + R"("users_changed":[)" +
    kDocUser + R"(],"users_removed":["n1/abc/2"],"unreachable":[]})";

NodeInfo docNode()
{
    NodeInfo node;
    node.name = QStringLiteral("n1");
    node.incarnation = 1796161751274;
    node.address = QStringLiteral("127.0.0.1:9191");
    node.version = QStringLiteral("0.1.0");
    node.status = NodeStatus::Up;
    node.uptimeS = 3600;
    node.connections = 120;
    node.chatsOwned = 14;
    node.messagesInPerS = 52.0;
    node.messagesOutPerS = 1840.5;
    node.deliveriesPerS = 1840.5;
    node.links = {LinkInfo{QStringLiteral("n2"), LinkState::Up, 1}};
    return node;
}

NodeInfo unreachableNode()
{
    NodeInfo node;
    node.name = QStringLiteral("n3");
    node.incarnation = 1796161751300;
    node.address = QStringLiteral("127.0.0.1:9193");
    node.version = QStringLiteral("0.1.0");
    node.status = NodeStatus::Unreachable;
    node.uptimeS = 10;
    node.links = {LinkInfo{QStringLiteral("n1"), LinkState::Down, -1}};
    return node;
}

ChatInfo docChat()
{
    return ChatInfo{QStringLiteral("lobby"), QStringLiteral("n2"), 3, 1.0, 57};
}

UserInfo docUser()
{
    UserInfo user;
    user.connectionId = QStringLiteral("n2/k3x9a1/5");
    user.userId = QStringLiteral("a1b2…");
    user.userName = QStringLiteral("Ann");
    user.node = QStringLiteral("n2");
    user.remoteAddress = QStringLiteral("127.0.0.1:53122");
    user.connectedSince = QStringLiteral("2026-12-01T20:59:12Z");
    user.chats = {QStringLiteral("lobby")};
    user.messagesSent = 12;
    return user;
}

ClusterSnapshot docSnapshot()
{
    ClusterSnapshot snapshot;
    snapshot.node = QStringLiteral("n1");
    snapshot.time = QStringLiteral("2026-12-01T21:00:00Z");
    snapshot.nodes = {docNode(), unreachableNode()};
    snapshot.chats = {docChat()};
    snapshot.users = {docUser()};
    snapshot.unreachable = {QStringLiteral("n3")};
    return snapshot;
}

ClusterUpdate docUpdate()
{
    ClusterUpdate update;
    update.node = QStringLiteral("n1");
    update.time = QStringLiteral("2026-12-01T21:00:01Z");
    update.nodes = {docNode()};
    update.chatsChanged = {docChat()};
    update.chatsRemoved = {QStringLiteral("old")};
    update.usersChanged = {docUser()};
    update.usersRemoved = {QStringLiteral("n1/abc/2")};
    return update;
}

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// Replaces (or, without a value, removes) what `path` names inside a record: keys of objects,
// indexes of arrays.
QJsonValue edited(const QJsonValue &at, QStringList path, const std::optional<QJsonValue> &value)
{
    const QString step = path.takeFirst();
    if (at.isArray()) {
        QJsonArray array = at.toArray();
        const qsizetype index = step.toLongLong();
        array[index] = edited(array.at(index), path, value);
        return array;
    }
    QJsonObject object = at.toObject();
    if (path.isEmpty()) {
        if (value)
            object.insert(step, *value);
        else
            object.remove(step);
    } else {
        object.insert(step, edited(object.value(step), path, value));
    }
    return object;
}

QByteArray mutate(const QByteArray &json, const QString &path,
                  const std::optional<QJsonValue> &value)
{
    return QJsonDocument(edited(parse(json), path.split(u'.'), value).toObject())
        .toJson(QJsonDocument::Compact);
}

// Values of every JSON type but the one `original` has.
QList<std::pair<const char *, QJsonValue>> otherTypes(const QJsonValue &original)
{
    const QList<std::pair<const char *, QJsonValue>> all{
        {"string", QJsonValue(QStringLiteral("x"))},
        {"number", QJsonValue(1)},
        {"null", QJsonValue(QJsonValue::Null)},
        {"bool", QJsonValue(true)},
        {"array", QJsonValue(QJsonArray{QStringLiteral("x")})},
        {"object", QJsonValue(QJsonObject{})},
    };
    QList<std::pair<const char *, QJsonValue>> result;
    for (const auto &candidate : all) {
        if (candidate.second.type() != original.type())
            result.append(candidate);
    }
    return result;
}

// Rows for every key of the object at `path` (empty: the record itself): missing, each wrong
// type, plus one unknown key. Each violation must name the key.
void addShapeRows(const char *label, const QByteArray &json, const QString &path)
{
    const QString prefix = path.isEmpty() ? QString() : path + u'.';
    QJsonValue at = parse(json);
    if (!path.isEmpty()) {
        for (const QString &step : path.split(u'.'))
            at = at.isArray() ? at.toArray().at(step.toLongLong()) : at.toObject().value(step);
    }
    const QJsonObject object = at.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (key == u"record")
            continue;
        const QByteArray k = key.toUtf8();
        QTest::addRow("%s: %s missing", label, k.constData())
            << mutate(json, prefix + key, std::nullopt)
            << QString(QStringLiteral("missing key \"") + key + u'"');
        for (const auto &[type, value] : otherTypes(it.value())) {
            // A bool "ok" turned into another type changes which key set applies; the type
            // rule still must fire, which is what the mention checks.
            QTest::addRow("%s: %s is %s", label, k.constData(), type)
                << mutate(json, prefix + key, value) << QString(u'"' + key + u'"');
        }
    }
    QTest::addRow("%s: extra key", label)
        << mutate(json, prefix + QStringLiteral("extra"), QJsonValue(1))
        << QStringLiteral("unknown key \"extra\"");
}

} // namespace

class TestAdminRecord : public QObject
{
    Q_OBJECT

private slots:
    void encodesDocumentedBytes();
    void decodesDocumentedBytes();
    void roundTripsClientRecords_data();
    void roundTripsClientRecords();
    void roundTripsServerRecords();
    void writesRatesExactly_data();
    void writesRatesExactly();
    void encoderDefaults();
    void acceptsClientBounds();
    void rejectsClientRecords_data();
    void rejectsClientRecords();
    void rejectsServerRecords_data();
    void rejectsServerRecords();
};

void TestAdminRecord::encodesDocumentedBytes()
{
    QCOMPARE(encodeAdminHello(AdminHello{QStringLiteral("1.0"), QStringLiteral("…")}), kDocHello);
    QCOMPARE(encodeKickUser(KickUser{QStringLiteral("n2/k3x9a1/5"), QStringLiteral("spamming")}),
             kDocKick);
    QCOMPARE(encodeAdminError(AdminError{AdminErrorCode::WrongToken, {}}), kDocError);
    QCOMPARE(encodeClusterSnapshot(docSnapshot()), kDocSnapshot);
    QCOMPARE(encodeClusterUpdate(docUpdate()), kDocUpdate);
    QCOMPARE(encodeKickResult(KickResult{QStringLiteral("n2/k3x9a1/5"), true, {}}), kDocKickOk);
    QCOMPARE(encodeKickResult(
                 KickResult{QStringLiteral("n9/x/1"), false, QStringLiteral("no such connection")}),
             kDocKickFailed);
}

void TestAdminRecord::decodesDocumentedBytes()
{
    const auto client = [](const QByteArray &json) {
        const AdminClientDecodeResult result = decodeAdminClientRecord(json);
        if (!result.ok)
            qWarning() << result.reason;
        return result;
    };
    const auto server = [](const QByteArray &json) {
        const AdminServerDecodeResult result = decodeAdminServerRecord(json);
        if (!result.ok)
            qWarning() << result.violation;
        return result;
    };
    const auto hello = client(kDocHello);
    QVERIFY(hello.ok);
    QCOMPARE(std::get<AdminHello>(hello.record).token, QStringLiteral("…"));
    const auto kick = client(kDocKick);
    QVERIFY(kick.ok);
    QCOMPARE(std::get<KickUser>(kick.record),
             (KickUser{QStringLiteral("n2/k3x9a1/5"), QStringLiteral("spamming")}));

    const auto error = server(kDocError);
    QVERIFY(error.ok);
    QCOMPARE(std::get<AdminError>(error.record),
             (AdminError{AdminErrorCode::WrongToken, QStringLiteral("wrong admin token")}));
    const auto snapshot = server(kDocSnapshot);
    QVERIFY(snapshot.ok);
    QVERIFY(std::get<ClusterSnapshot>(snapshot.record) == docSnapshot());
    const auto update = server(kDocUpdate);
    QVERIFY(update.ok);
    QVERIFY(std::get<ClusterUpdate>(update.record) == docUpdate());
    const auto ok = server(kDocKickOk);
    QVERIFY(ok.ok);
    QCOMPARE(std::get<KickResult>(ok.record),
             (KickResult{QStringLiteral("n2/k3x9a1/5"), true, {}}));
    const auto failed = server(kDocKickFailed);
    QVERIFY(failed.ok);
    QCOMPARE(std::get<KickResult>(failed.record).reason, QStringLiteral("no such connection"));

    // Key order and whitespace are free on the way in.
    const auto spaced =
        server(R"( { "ok" : true , "connection_id" : "a" , "record" : "kick_result" } )");
    QVERIFY(spaced.ok);
}

void TestAdminRecord::roundTripsClientRecords_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << QStringLiteral("spamming");
    QTest::newRow("empty") << QString();
    QTest::newRow("quotes and escapes") << QStringLiteral("a \"b\" \\ c\n\t\r\b\f/");
    QTest::newRow("controls") << QString(QChar(1)) + QChar(0x1f);
    QTest::newRow("non-ASCII") << QStringLiteral("Grüße, 日本, 😀");
    QTest::newRow("leading BOM") << QString(QChar(0xFEFF)) + QStringLiteral("x");
    QTest::newRow("only BOM") << QString(QChar(0xFEFF));
}

void TestAdminRecord::roundTripsClientRecords()
{
    QFETCH(QString, text);
    const AdminHello hello{QStringLiteral("1.0"), text};
    const auto decodedHello = decodeAdminClientRecord(encodeAdminHello(hello));
    QVERIFY2(decodedHello.ok, qPrintable(decodedHello.reason));
    QCOMPARE(std::get<AdminHello>(decodedHello.record), hello);

    const KickUser kick{QStringLiteral("n1/") + text + QStringLiteral("/1"), text};
    const auto decodedKick = decodeAdminClientRecord(encodeKickUser(kick));
    QVERIFY2(decodedKick.ok, qPrintable(decodedKick.reason));
    QCOMPARE(std::get<KickUser>(decodedKick.record), kick);

    if (!text.isEmpty()) {
        const AdminError error{AdminErrorCode::Malformed, text};
        const auto decodedError = decodeAdminServerRecord(encodeAdminError(error));
        QVERIFY2(decodedError.ok, qPrintable(decodedError.violation));
        QCOMPARE(std::get<AdminError>(decodedError.record), error);
    }
}

void TestAdminRecord::roundTripsServerRecords()
{
    ClusterSnapshot snapshot = docSnapshot();
    snapshot.nodes[0].incarnation = 9007199254740992; // 2^53: the largest exact JSON integer
    snapshot.nodes[0].messagesInPerS = 0.1;
    snapshot.nodes[0].messagesOutPerS = 1.0 / 3.0;
    snapshot.nodes[0].deliveriesPerS = 1e15 + 0.5;
    snapshot.nodes[0].links.append(LinkInfo{QStringLiteral("n3"), LinkState::Down, -1});
    snapshot.chats.append(ChatInfo{QStringLiteral("ünï \"cödé\""), QStringLiteral("n1"), 0, 0, 0});
    UserInfo bare = docUser();
    bare.connectionId = QStringLiteral("n1/x/2");
    bare.chats.clear();
    bare.userName = QString(QChar(0xFEFF)) + QStringLiteral("bom");
    snapshot.users.append(bare);
    const auto decoded = decodeAdminServerRecord(encodeClusterSnapshot(snapshot));
    QVERIFY2(decoded.ok, qPrintable(decoded.violation));
    QVERIFY(std::get<ClusterSnapshot>(decoded.record) == snapshot);

    // An empty cluster view is still a valid record (only the answering node is required).
    ClusterSnapshot empty;
    empty.node = QStringLiteral("n1");
    empty.time = QStringLiteral("2026-01-01T00:00:00Z");
    NodeInfo self = docNode();
    self.links.clear();
    empty.nodes = {self};
    const auto decodedEmpty = decodeAdminServerRecord(encodeClusterSnapshot(empty));
    QVERIFY2(decodedEmpty.ok, qPrintable(decodedEmpty.violation));
    QVERIFY(std::get<ClusterSnapshot>(decodedEmpty.record) == empty);

    ClusterUpdate update = docUpdate();
    update.nodes = snapshot.nodes;
    update.unreachable = {QStringLiteral("n3")};
    const auto decodedUpdate = decodeAdminServerRecord(encodeClusterUpdate(update));
    QVERIFY2(decodedUpdate.ok, qPrintable(decodedUpdate.violation));
    QVERIFY(std::get<ClusterUpdate>(decodedUpdate.record) == update);

    for (const KickResult &result :
         {KickResult{QStringLiteral("n2/k/5"), true, {}},
          KickResult{QStringLiteral("n2/k/5"), false, QStringLiteral("node n2 did not answer")}}) {
        const auto decodedKick = decodeAdminServerRecord(encodeKickResult(result));
        QVERIFY2(decodedKick.ok, qPrintable(decodedKick.violation));
        QCOMPARE(std::get<KickResult>(decodedKick.record), result);
    }
}

void TestAdminRecord::writesRatesExactly_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << 0.0 << QByteArray("0.0");
    QTest::newRow("whole") << 52.0 << QByteArray("52.0");
    QTest::newRow("half") << 1840.5 << QByteArray("1840.5");
    QTest::newRow("tenth") << 0.1 << QByteArray("0.1");
    QTest::newRow("million") << 1e6 << QByteArray("1000000.0");
    QTest::newRow("negative is 0") << -3.0 << QByteArray("0.0");
    QTest::newRow("NaN is 0") << std::nan("") << QByteArray("0.0");
    QTest::newRow("infinity is 0") << HUGE_VAL << QByteArray("0.0");
}

void TestAdminRecord::writesRatesExactly()
{
    QFETCH(double, rate);
    QFETCH(QByteArray, text);
    const ChatInfo chat{QStringLiteral("c"), QStringLiteral("n1"), 1, rate, 1};
    ClusterUpdate update;
    update.node = QStringLiteral("n1");
    update.time = QStringLiteral("2026-01-01T00:00:00Z");
    update.nodes = {docNode()};
    update.chatsChanged = {chat};
    const QByteArray json = encodeClusterUpdate(update);
    QVERIFY2(json.contains("\"messages_per_s\":" + text + ','), json.constData());
    QVERIFY(decodeAdminServerRecord(json).ok);
}

void TestAdminRecord::encoderDefaults()
{
    // An admin_error without a reason gets the code's default; a successful kick has no reason
    // even if one was set by mistake.
    QCOMPARE(
        encodeAdminError(AdminError{AdminErrorCode::Malformed, {}}),
        QByteArray(
            R"({"record":"admin_error","code":"ADMIN-002","reason":"malformed or unknown record"})"));
    QCOMPARE(
        encodeAdminError(AdminError{AdminErrorCode::UnsupportedVersion, {}}),
        QByteArray(
            R"({"record":"admin_error","code":"ADMIN-003","reason":"unsupported protocol_version"})"));
    QCOMPARE(encodeKickResult(KickResult{QStringLiteral("a"), true, QStringLiteral("ignored")}),
             QByteArray(R"({"record":"kick_result","connection_id":"a","ok":true})"));
    QCOMPARE(encodeKickUser(KickUser{QStringLiteral("a"), {}}),
             QByteArray(R"({"record":"kick_user","connection_id":"a","reason":""})"));
    QCOMPARE(adminErrorCodeString(AdminErrorCode::WrongToken), QLatin1StringView("ADMIN-001"));
}

void TestAdminRecord::acceptsClientBounds()
{
    // Bounds are UTF-8 bytes: 170 three-byte characters and two ASCII ones make 512.
    const QString id512 = QString(170, QChar(0x20AC)) + QStringLiteral("ab");
    QCOMPARE(id512.toUtf8().size(), qsizetype(512));
    const QString reason1024 = QString(1024, u'r');
    const auto kick = decodeAdminClientRecord(encodeKickUser(KickUser{id512, reason1024}));
    QVERIFY2(kick.ok, qPrintable(kick.reason));

    // A record of exactly 64 KiB is allowed (the token is not bounded except by the record).
    const QByteArray head = R"({"record":"admin_hello","protocol_version":"1.0","token":")";
    const QByteArray hello = head + QByteArray(64 * 1024 - head.size() - 2, 't') + "\"}";
    QCOMPARE(hello.size(), qsizetype(64 * 1024));
    const auto decoded = decodeAdminClientRecord(hello);
    QVERIFY2(decoded.ok, qPrintable(decoded.reason));
}

void TestAdminRecord::rejectsClientRecords_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<AdminErrorCode>("code");
    const AdminErrorCode malformed = AdminErrorCode::Malformed;
    const auto row = [&](const char *name, const QByteArray &json,
                         AdminErrorCode code = AdminErrorCode::Malformed) {
        QTest::newRow(name) << json << code;
    };
    row("empty", "");
    row("not JSON", "hello");
    row("truncated", R"({"record":"kick_user")");
    row("two objects", kDocKick + kDocKick);
    row("array", "[" + kDocKick + "]");
    row("string", R"("admin_hello")");
    row("empty object", "{}");
    row("no record", R"({"connection_id":"a","reason":""})");
    row("record number", R"({"record":1})");
    row("record empty", R"({"record":""})");
    // Found by tests/fuzz (fuzz_admin_record): a lone \ud800 escape decoded to an unpaired
    // surrogate, which re-encodes as U+FFFD (another connection id).
    row("unpaired surrogate", R"({"record":"kick_user","connection_id":"\ud800","reason":""})");
    row("unknown record", R"({"record":"ban_user","connection_id":"a","reason":""})");
    row("record upper case", R"({"record":"KICK_USER","connection_id":"a","reason":""})");
    row("server record", kDocKickOk);
    row("chat protocol hello", R"({"record":"client_hello","protocol_version":"1.0"})");
    row("invalid UTF-8", "{\"record\":\"kick_user\",\"connection_id\":\"a\xff\",\"reason\":\"\"}");
    row("BOM between tokens",
        "{\"record\":\xEF\xBB\xBF\"kick_user\",\"connection_id\":\"a\",\"reason\":\"\"}");
    row("larger than 64 KiB", R"({"record":"kick_user","connection_id":"a","reason":")" +
                                  QByteArray(64 * 1024, 'r') + "\"}");

    const auto shapeRows = [&](const char *label, const QByteArray &json) {
        const QJsonObject object = parse(json);
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == u"record")
                continue;
            const QByteArray k = it.key().toUtf8();
            QTest::addRow("%s: %s missing", label, k.constData())
                << mutate(json, it.key(), std::nullopt) << malformed;
            for (const auto &[type, value] : otherTypes(it.value()))
                QTest::addRow("%s: %s is %s", label, k.constData(), type)
                    << mutate(json, it.key(), value) << malformed;
        }
        QTest::addRow("%s: extra key", label)
            << mutate(json, QStringLiteral("extra"), QJsonValue(QString())) << malformed;
    };
    shapeRows("admin_hello", kDocHello);
    shapeRows("kick_user", kDocKick);

    // Well-formed hello, other version: ADMIN-003. A malformed one stays ADMIN-002.
    const AdminErrorCode version = AdminErrorCode::UnsupportedVersion;
    row("version 2.0", R"({"record":"admin_hello","protocol_version":"2.0","token":"t"})", version);
    row("version 1", R"({"record":"admin_hello","protocol_version":"1","token":"t"})", version);
    row("version with space", R"({"record":"admin_hello","protocol_version":"1.0 ","token":"t"})",
        version);
    row("version empty", R"({"record":"admin_hello","protocol_version":"","token":"t"})");
    row("version 2.0 and extra key",
        R"({"record":"admin_hello","protocol_version":"2.0","token":"t","x":1})");

    row("connection_id empty", R"({"record":"kick_user","connection_id":"","reason":"r"})");
    const QByteArray id513 = QString(171, QChar(0x20AC)).toUtf8();
    row("connection_id 513 bytes",
        R"({"record":"kick_user","connection_id":")" + id513 + R"(","reason":"r"})");
    row("reason 1025 bytes",
        R"({"record":"kick_user","connection_id":"a","reason":")" + QByteArray(1025, 'r') + "\"}");
    row("reason of 513 two-byte characters (1026 bytes)",
        R"({"record":"kick_user","connection_id":"a","reason":")" +
            QString(513, QChar(0xE9)).toUtf8() + "\"}");
}

void TestAdminRecord::rejectsClientRecords()
{
    QFETCH(QByteArray, json);
    QFETCH(AdminErrorCode, code);
    const AdminClientDecodeResult result = decodeAdminClientRecord(json);
    QVERIFY2(!result.ok, json.left(200).constData());
    QCOMPARE(result.error, code);
    QVERIFY(!result.reason.isEmpty());
}

void TestAdminRecord::rejectsServerRecords_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    const auto row = [](const char *name, const QByteArray &json, const char *mentions) {
        QTest::newRow(name) << json << QString::fromUtf8(mentions);
    };
    row("empty", "", "not valid JSON");
    row("array", "[]", "not a JSON object");
    row("no record", R"({"ok":true})", "record");
    row("unknown record", R"({"record":"cluster_delta"})", "unknown record \"cluster_delta\"");
    row("client record", kDocKick, "unknown record \"kick_user\"");
    row("invalid UTF-8", "{\"record\":\"admin_error\",\"code\":\"ADMIN-001\",\"reason\":\"\xc3\"}",
        "UTF-8");
    row("unpaired surrogate",
        R"({"record":"kick_result","connection_id":"a\udfff","ok":false,"reason":"r"})",
        "unpaired surrogate");
    row("unpaired surrogate in a name list",
        R"({"record":"cluster_update","node":"a","time":"2026-01-02T03:04:05Z","nodes":[],)"
        R"("chats_changed":[],"chats_removed":["\ud83d"],"users_changed":[],)"
        R"("users_removed":[],"unreachable":[]})",
        "unpaired surrogate");

    // Every key of every object: missing, each wrong type, one unknown key.
    addShapeRows("admin_error", kDocError, {});
    addShapeRows("snapshot", kDocSnapshot, {});
    addShapeRows("update", kDocUpdate, {});
    addShapeRows("node", kDocSnapshot, QStringLiteral("nodes.0"));
    addShapeRows("link", kDocSnapshot, QStringLiteral("nodes.0.links.0"));
    addShapeRows("chat", kDocSnapshot, QStringLiteral("chats.0"));
    addShapeRows("user", kDocSnapshot, QStringLiteral("users.0"));
    addShapeRows("changed chat", kDocUpdate, QStringLiteral("chats_changed.0"));
    addShapeRows("changed user", kDocUpdate, QStringLiteral("users_changed.0"));
    addShapeRows("kick ok", kDocKickOk, {});
    addShapeRows("kick failed", kDocKickFailed, {});

    // Values.
    const auto set = [](const QByteArray &json, const char *path, const QJsonValue &value) {
        return mutate(json, QString::fromUtf8(path), value);
    };
    const QByteArray &s = kDocSnapshot;
    row("error unknown code", set(kDocError, "code", QStringLiteral("ADMIN-004")), "ADMIN-004");
    row("error empty reason", set(kDocError, "reason", QString()), "\"reason\" is empty");
    row("snapshot node empty", set(s, "node", QString()), "\"node\" is empty");
    row("snapshot time with fraction", set(s, "time", QStringLiteral("2026-12-01T21:00:00.5Z")),
        "YYYY-MM-DDTHH:MM:SSZ");
    row("snapshot time impossible", set(s, "time", QStringLiteral("2026-02-30T21:00:00Z")),
        "\"time\"");
    row("answering node unknown", set(s, "node", QStringLiteral("n7")), "\"n7\" is not among");
    row("unreachable names an up node",
        set(s, "unreachable", QJsonArray{QStringLiteral("n1"), QStringLiteral("n3")}), "\"n1\"");
    row("unreachable node not listed", set(s, "unreachable", QJsonArray{}),
        "not in \"unreachable\"");
    row("unreachable unknown node",
        set(s, "unreachable", QJsonArray{QStringLiteral("n3"), QStringLiteral("n9")}), "\"n9\"");
    row("unreachable repeated",
        set(s, "unreachable", QJsonArray{QStringLiteral("n3"), QStringLiteral("n3")}), "repeats");
    row("unreachable empty name", set(s, "unreachable", QJsonArray{QString()}), "is empty");
    row("node twice", set(s, "nodes", QJsonArray{parse(kDocNode), parse(kDocNode)}), "twice");
    row("node name empty", set(s, "nodes.0.name", QString()), "\"name\" is empty");
    row("node address empty", set(s, "nodes.0.address", QString()), "\"address\" is empty");
    row("node version empty", set(s, "nodes.0.version", QString()), "\"version\" is empty");
    row("node status down", set(s, "nodes.0.status", QStringLiteral("down")), "\"down\"");
    row("node status upper case", set(s, "nodes.0.status", QStringLiteral("UP")), "\"UP\"");
    row("incarnation negative", set(s, "nodes.0.incarnation", -1), "below 0");
    row("incarnation beyond 2^53", set(s, "nodes.0.incarnation", 1e17), "not an integer");
    row("uptime fraction", set(s, "nodes.0.uptime_s", 1.5), "not an integer");
    row("connections negative", set(s, "nodes.0.connections", -1), "below 0");
    row("chats_owned negative", set(s, "nodes.0.chats_owned", -2), "below 0");
    row("rate negative", set(s, "nodes.0.messages_in_per_s", -0.5), "not a rate");
    row("rate as string", set(s, "nodes.0.deliveries_per_s", QStringLiteral("1.0")),
        "not a number");
    row("link state unreachable", set(s, "nodes.0.links.0.state", QStringLiteral("unreachable")),
        "\"unreachable\"");
    row("rtt below -1", set(s, "nodes.0.links.0.rtt_ms", -2), "below -1");
    row("rtt fraction", set(s, "nodes.0.links.0.rtt_ms", 0.5), "not an integer");
    row("link to itself", set(s, "nodes.0.links.0.node", QStringLiteral("n1")), "itself");
    row("two links to one node",
        set(s, "nodes.0.links",
            QJsonArray{parse(R"({"node":"n2","state":"up","rtt_ms":1})"),
                       parse(R"({"node":"n2","state":"down","rtt_ms":-1})")}),
        "two links");
    row("link not object", set(s, "nodes.0.links", QJsonArray{QStringLiteral("n2")}),
        "not an object");
    row("node not object", set(s, "nodes", QJsonArray{1}), "not an object");
    row("chat name empty", set(s, "chats.0.name", QString()), "\"name\" is empty");
    row("chat owner empty", set(s, "chats.0.owner", QString()), "\"owner\" is empty");
    row("chat members negative", set(s, "chats.0.members", -1), "below 0");
    row("chat sequence negative", set(s, "chats.0.last_sequence", -1), "below 0");
    row("chat sequence fraction", set(s, "chats.0.last_sequence", 2.5), "not an integer");
    row("chat twice", set(s, "chats", QJsonArray{parse(kDocChat), parse(kDocChat)}), "twice");
    row("user twice", set(s, "users", QJsonArray{parse(kDocUser), parse(kDocUser)}), "twice");
    row("user connected_since offset",
        set(s, "users.0.connected_since", QStringLiteral("2026-12-01T20:59:12+00:00")),
        "connected_since");
    row("user chats with empty name", set(s, "users.0.chats", QJsonArray{QString()}), "is empty");
    row("user chats with number", set(s, "users.0.chats", QJsonArray{1}), "not a string");
    row("user chats repeated",
        set(s, "users.0.chats", QJsonArray{QStringLiteral("a"), QStringLiteral("a")}), "repeats");
    row("user messages_sent negative", set(s, "users.0.messages_sent", -1), "below 0");
    row("user name empty", set(s, "users.0.user_name", QString()), "\"user_name\" is empty");
    row("user remote address empty", set(s, "users.0.remote_address", QString()),
        "\"remote_address\" is empty");
    const QByteArray &u = kDocUpdate;
    row("update chat changed and removed",
        set(u, "chats_removed", QJsonArray{QStringLiteral("lobby")}), "both changed and removed");
    row("update user changed and removed",
        set(u, "users_removed", QJsonArray{QStringLiteral("n2/k3x9a1/5")}),
        "both changed and removed");
    row("update removed chat empty", set(u, "chats_removed", QJsonArray{QString()}), "is empty");
    row("update removed user repeated",
        set(u, "users_removed", QJsonArray{QStringLiteral("x"), QStringLiteral("x")}), "repeats");
    row("update unknown answering node", set(u, "node", QStringLiteral("n2")), "\"n2\"");
    row("kick ok with reason", set(kDocKickOk, "reason", QStringLiteral("r")),
        "unknown key \"reason\"");
    row("kick failed without reason",
        mutate(kDocKickFailed, QStringLiteral("reason"), std::nullopt), "missing key \"reason\"");
    row("kick failed empty reason", set(kDocKickFailed, "reason", QString()), "is empty");
    row("kick empty connection", set(kDocKickOk, "connection_id", QString()), "is empty");
    row("kick ok as string", set(kDocKickOk, "ok", QStringLiteral("true")), "not a boolean");
}

void TestAdminRecord::rejectsServerRecords()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const AdminServerDecodeResult result = decodeAdminServerRecord(json);
    QVERIFY2(!result.ok, json.left(300).constData());
    QVERIFY2(result.violation.contains(mentions),
             qPrintable(result.violation + QStringLiteral(" / expected to mention: ") + mentions));
}

QTEST_GUILESS_MAIN(TestAdminRecord)
#include "tst_adminrecord.moc"
