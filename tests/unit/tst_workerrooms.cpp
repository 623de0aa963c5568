// A worker thread's rooms (WorkerRooms, on a real QThread) and the main thread's end of it
// (WorkerGateway) around the node's RoomDirectory: members on the worker and on the main
// thread share a chat, in one order of events; the main thread's stand-ins show the worker's
// connections to the admin view and take its kicks; a connection that goes leaves its chats;
// the node's cap on chats refuses a worker's join as it would a local one.

#include "server/rooms/chatreplica.h"
#include "server/rooms/roomdirectory.h"
#include "server/workers/workergateway.h"
#include "server/workers/workerrooms.h"
#include "tests/support/fakemember.h"

#include <QTest>
#include <QThread>

#include <functional>
#include <list>

using namespace Qt::StringLiterals;
using flack::server::rooms::ChatReplica;
using flack::server::rooms::RoomDirectory;
using flack::server::workers::WorkerGateway;
using flack::server::workers::WorkerRooms;
using flack::test::FakeMember;
namespace protocol = flack::protocol;

namespace {

constexpr int kDeadlineMs = 10000;

// The node's directory and gateway here, one worker thread with its rooms.
class Node
{
public:
    explicit Node(qsizetype maxRooms = 100000) : directory(maxRooms), gateway(&directory)
    {
        directory.connections().setNode(u"n1"_s, 7);
        directory.connections().setIdSeries(0, 2);
        thread.start();
        m_anchor.moveToThread(&thread);
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, maxRooms] { rooms = new WorkerRooms(&gateway, u"n1"_s, 7, 1, 2, maxRooms); },
            Qt::BlockingQueuedConnection);
        gateway.setWorker(rooms);
    }
    ~Node()
    {
        gateway.setWorker(nullptr);
        onWorker([this] {
            qDeleteAll(m_workerMembers);
            delete rooms;
        });
        thread.quit();
        thread.wait();
    }

    // Runs on the worker thread and waits for it.
    void onWorker(const std::function<void()> &call)
    {
        QMetaObject::invokeMethod(rooms, call, Qt::BlockingQueuedConnection);
    }
    bool onWorkerTrue(const std::function<bool()> &test)
    {
        bool result = false;
        onWorker([&] { result = test(); });
        return result;
    }
    // A session on the worker: opened, authenticated, reported, as the endpoint does.
    FakeMember *workerMember(const QString &name, const QString &userId)
    {
        FakeMember *member = nullptr;
        onWorker([&] {
            member = new FakeMember(name, userId, &rooms->directory().connections());
            rooms->sessionOpened(*member);
            rooms->sessionAuthenticated(*member);
            m_workerMembers.append(member);
        });
        return member;
    }
    void closeWorkerMember(FakeMember *member)
    {
        onWorker([&] {
            const QString id = member->connectionId();
            if (auto *room = rooms->directory().findReplica(u"lobby"_s))
                room->drop(member);
            m_workerMembers.removeOne(member);
            delete member;
            rooms->sessionClosed(id);
        });
    }
    void joinOnWorker(FakeMember *member, const QString &chat)
    {
        onWorker([&] {
            if (auto *room = rooms->directory().open(chat))
                room->join(member);
        });
    }
    QStringList namesOnWorker(FakeMember *member)
    {
        QStringList names;
        onWorker([&] { names = member->recordNames(); });
        return names;
    }

    // A session on the main thread.
    FakeMember &mainMember(const QString &name, const QString &userId)
    {
        return m_mainMembers.emplace_back(name, userId, &directory.connections());
    }

    RoomDirectory directory;

private:
    // Gone after the gateway (whose stand-ins' drops they may still hear), before the directory.
    std::list<FakeMember> m_mainMembers;

public:
    WorkerGateway gateway;
    QThread thread;
    WorkerRooms *rooms = nullptr;

private:
    QObject m_anchor;
    QList<FakeMember *> m_workerMembers;
};

ChatReplica *open(RoomDirectory &directory, const QString &name)
{
    return static_cast<ChatReplica *>(directory.open(name));
}

} // namespace

class TestWorkerRooms : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void workerAndMainMembersShareAChatInOneOrder()
    {
        Node node;
        FakeMember &ann = node.mainMember(u"Ann"_s, u"a1"_s); // on the main thread
        open(node.directory, u"lobby"_s)->join(&ann);
        FakeMember *bo = node.workerMember(u"Bo"_s, u"b2"_s);
        FakeMember *cy = node.workerMember(u"Cy"_s, u"c3"_s);
        node.joinOnWorker(bo, u"lobby"_s);
        node.joinOnWorker(cy, u"lobby"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            ann.recordNames(),
            QStringList({u"chat_state"_s, u"joined"_s, u"joined"_s, u"joined"_s}), kDeadlineMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            node.namesOnWorker(cy) == QStringList({u"chat_state"_s, u"joined"_s}), kDeadlineMs);
        node.onWorker([&] {
            node.rooms->directory().findReplica(u"lobby"_s)->post(cy, u"text/plain"_s, u"hi"_s);
        });
        QTRY_COMPARE_WITH_TIMEOUT(ann.recordNames().size(), 5, kDeadlineMs);
        QTRY_VERIFY_WITH_TIMEOUT(node.namesOnWorker(cy).size() == 3, kDeadlineMs);
        // Every member saw the same frames with the same sequences, the main one included.
        QStringList boFrames;
        QStringList cyFrames;
        node.onWorker([&] {
            boFrames = bo->frames;
            cyFrames = cy->frames;
        });
        QCOMPARE(boFrames.mid(1), ann.frames.mid(2)); // from its own joined on
        QCOMPARE(cyFrames.mid(1), ann.frames.mid(3));
        QCOMPARE(ann.records.last().value(u"record"_s).toString(), u"chat_message"_s);
        QCOMPARE(ann.records.last().value(u"user_id"_s).toString(), u"c3"_s);
    }

    void theAdminViewSeesWorkerConnectionsAndKicksThem()
    {
        Node node;
        FakeMember *bo = node.workerMember(u"Bo"_s, u"b2"_s);
        const QString id = bo->connectionId();
        QTRY_VERIFY_WITH_TIMEOUT(node.directory.connections().find(id), kDeadlineMs);
        node.joinOnWorker(bo, u"lobby"_s);
        QTRY_VERIFY_WITH_TIMEOUT(node.namesOnWorker(bo).size() == 2, kDeadlineMs);
        node.onWorker([&] {
            node.rooms->directory().findReplica(u"lobby"_s)->post(bo, u"text/plain"_s, u"x"_s);
        });
        QTRY_VERIFY_WITH_TIMEOUT(node.namesOnWorker(bo).size() == 3, kDeadlineMs);
        auto *standIn = node.directory.connections().find(id);
        QCOMPARE(standIn->userId(), u"b2"_s);
        QCOMPARE(standIn->userName(), u"Bo"_s);
        const auto details = standIn->details();
        QVERIFY(details.authenticated);
        QCOMPARE(details.chats, QStringList({u"lobby"_s}));
        QCOMPARE(details.messagesSent, qint64(1));
        QCOMPARE(details.remoteAddress, u"127.0.0.1:1"_s);
        standIn->kick(u"spam"_s);
        QTRY_VERIFY_WITH_TIMEOUT(
            node.onWorkerTrue([&] { return bo->kicks == QStringList{u"spam"_s}; }), kDeadlineMs);
    }

    void aClosedWorkerConnectionLeavesItsChats()
    {
        Node node;
        FakeMember &ann = node.mainMember(u"Ann"_s, u"a1"_s);
        open(node.directory, u"lobby"_s)->join(&ann);
        FakeMember *bo = node.workerMember(u"Bo"_s, u"b2"_s);
        const QString id = bo->connectionId();
        node.joinOnWorker(bo, u"lobby"_s);
        QTRY_COMPARE_WITH_TIMEOUT(ann.recordNames().size(), 3, kDeadlineMs);
        node.closeWorkerMember(bo);
        QTRY_COMPARE_WITH_TIMEOUT(ann.recordNames().size(), 4, kDeadlineMs);
        QCOMPARE(ann.recordNames().last(), u"left"_s);
        QCOMPARE(ann.records.last().value(u"user_id"_s).toString(), u"b2"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!node.directory.connections().find(id), kDeadlineMs);
        QCOMPARE(node.gateway.connectionCount(), 0);
        QCOMPARE(open(node.directory, u"lobby"_s)->memberCount(), 1);
    }

    void aWorkerLeaverGetsItsOwnLeft()
    {
        Node node;
        FakeMember &ann = node.mainMember(u"Ann"_s, u"a1"_s);
        open(node.directory, u"lobby"_s)->join(&ann);
        FakeMember *bo = node.workerMember(u"Bo"_s, u"b2"_s);
        node.joinOnWorker(bo, u"lobby"_s);
        QTRY_VERIFY_WITH_TIMEOUT(node.namesOnWorker(bo).size() == 2, kDeadlineMs);
        node.onWorker([&] { node.rooms->directory().findReplica(u"lobby"_s)->leave(bo); });
        QTRY_VERIFY_WITH_TIMEOUT(node.namesOnWorker(bo) ==
                                     QStringList({u"chat_state"_s, u"joined"_s, u"left"_s}),
                                 kDeadlineMs);
        QCOMPARE(ann.recordNames().last(), u"left"_s);
        // The worker's replica of the chat is gone with its last member.
        QTRY_VERIFY_WITH_TIMEOUT(
            node.onWorkerTrue([&] { return !node.rooms->directory().findReplica(u"lobby"_s); }),
            kDeadlineMs);
    }

    void theNodesCapRefusesAWorkersJoin()
    {
        Node node(1);
        FakeMember &ann = node.mainMember(u"Ann"_s, u"a1"_s);
        open(node.directory, u"first"_s)->join(&ann);
        FakeMember *bo = node.workerMember(u"Bo"_s, u"b2"_s);
        QTRY_VERIFY_WITH_TIMEOUT(node.directory.connections().find(bo->connectionId()),
                                 kDeadlineMs);
        node.joinOnWorker(bo, u"second"_s);
        QTRY_VERIFY_WITH_TIMEOUT(node.onWorkerTrue([&] { return bo->refusals.size() == 1; }),
                                 kDeadlineMs);
        QList<FakeMember::Refusal> refusals;
        node.onWorker([&] { refusals = bo->refusals; });
        QCOMPARE(refusals[0].chatName, u"second"_s);
        QCOMPARE(refusals[0].code, protocol::ErrorCode::TooManyRooms);
        QVERIFY(node.directory.connections().find(bo->connectionId())->details().chats.isEmpty());
        QCOMPARE(node.directory.roomCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestWorkerRooms)
#include "tst_workerrooms.moc"
