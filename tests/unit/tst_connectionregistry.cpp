// ConnectionRegistry: ids unique in the cluster (node, incarnation, counter), and unique
// across a node's registries when each hands out a series of its own (one per thread).

#include "server/rooms/connectionregistry.h"
#include "tests/support/fakemember.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::rooms::ConnectionRegistry;
using flack::test::FakeMember;

class TestConnectionRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void idsNameNodeIncarnationAndCounter()
    {
        ConnectionRegistry registry;
        registry.setNode(u"n1"_s, 36);
        QCOMPARE(registry.allocateId(), u"n1/10/1"_s);
        QCOMPARE(registry.allocateId(), u"n1/10/2"_s);
    }

    void seriesNeverMeet()
    {
        constexpr int kSeries = 3;
        ConnectionRegistry registries[kSeries];
        QSet<QString> ids;
        for (int series = 0; series < kSeries; ++series) {
            registries[series].setNode(u"n1"_s, 7);
            registries[series].setIdSeries(quint64(series), kSeries);
        }
        for (int round = 0; round < 100; ++round) {
            for (ConnectionRegistry &registry : registries)
                ids.insert(registry.allocateId());
        }
        QCOMPARE(ids.size(), 100 * kSeries);
        // Series 0 of 1 is the registry's default: 1, 2, 3...
        ConnectionRegistry single;
        single.setIdSeries(0, 1);
        QCOMPARE(single.allocateId(), u"local/0/1"_s);
    }

    void membersAreFoundByIdUntilRemoved()
    {
        ConnectionRegistry registry;
        auto ann = std::make_unique<FakeMember>(u"Ann"_s, u"a1"_s, &registry);
        const QString id = ann->connectionId();
        QCOMPARE(registry.find(id), ann.get());
        QCOMPARE(registry.count(), 1);
        ann.reset();
        QCOMPARE(registry.find(id), nullptr);
        QCOMPARE(registry.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConnectionRegistry)
#include "tst_connectionregistry.moc"
