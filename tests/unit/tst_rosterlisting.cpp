// RosterListing: the encoded roster stays the chat_user array of exactly the members left, in
// join order, whichever entries joins and leaves add and cut (first, middle, last, only).

#include "server/rooms/rosterlisting.h"
#include "shared/serverrecordencoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::protocol::ChatUser;
using flack::server::rooms::RosterListing;
namespace protocol = flack::protocol;

namespace {
// What the listing must equal: the array of the list encoder, cut out of its chat_state.
QByteArray expectedArray(const QList<ChatUser> &users)
{
    const QByteArray state = protocol::encodeChatState(u"c", users);
    const QByteArray prefix = R"({"record":"chat_state","chat_name":"c","users":)";
    Q_ASSERT(state.startsWith(prefix) && state.endsWith('}'));
    return state.sliced(prefix.size(), state.size() - prefix.size() - 1);
}
} // namespace

class TestRosterListing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsAnEmptyArray()
    {
        RosterListing listing;
        QCOMPARE(listing.size(), 0);
        QCOMPARE(listing.usersArray(), QByteArray("[]"));
    }

    void cutsTheFirstMiddleLastAndOnlyEntry_data()
    {
        QTest::addColumn<int>("members");
        QTest::addColumn<int>("removed");
        QTest::newRow("only") << 1 << 0;
        QTest::newRow("first of three") << 3 << 0;
        QTest::newRow("middle of three") << 3 << 1;
        QTest::newRow("last of three") << 3 << 2;
    }
    void cutsTheFirstMiddleLastAndOnlyEntry()
    {
        QFETCH(int, members);
        QFETCH(int, removed);
        RosterListing listing;
        QList<ChatUser> model;
        for (int i = 0; i < members; ++i) {
            model.append({u"User \"%1\""_s.arg(i), u"u%1"_s.arg(i)});
            listing.append(model.last().userName, model.last().userId);
        }
        QCOMPARE(listing.usersArray(), expectedArray(model));
        listing.removeAt(removed);
        model.removeAt(removed);
        QCOMPARE(listing.size(), model.size());
        QCOMPARE(listing.usersArray(), expectedArray(model));
        // And it still takes new entries after the cut.
        listing.append(u"Zoë"_s, u"z"_s);
        model.append({u"Zoë"_s, u"z"_s});
        QCOMPARE(listing.usersArray(), expectedArray(model));
    }

    // Joins and leaves in a random order, checked against the list encoder after each step.
    void followsAnyMixOfJoinsAndLeaves()
    {
        QRandomGenerator random(20261204);
        RosterListing listing;
        QList<ChatUser> model;
        for (int step = 0; step < 1000; ++step) {
            if (model.isEmpty() || random.bounded(100) < 55) {
                model.append({u"n%1\n\u00e9"_s.arg(step), u"id-%1"_s.arg(step)});
                listing.append(model.last().userName, model.last().userId);
            } else {
                const auto index = qsizetype(random.bounded(int(model.size())));
                model.removeAt(index);
                listing.removeAt(index);
            }
            QCOMPARE(listing.size(), model.size());
            QCOMPARE(listing.usersArray(), expectedArray(model));
        }
        QVERIFY(QJsonDocument::fromJson(listing.usersArray()).isArray());
    }
};

QTEST_GUILESS_MAIN(TestRosterListing)
#include "tst_rosterlisting.moc"
