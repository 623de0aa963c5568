#pragma once
// A cluster of real flack-server processes on loopback for integration tests: node i is named
// "n<i>", listens for peers on a free port and is given node 1 as its only seed, so the rest of
// the mesh must come from gossip. Waits are bounded and event-driven (the nodes' own log lines).

#include "tests/support/serverprocess.h"

#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace flack::test {

class LocalCluster
{
public:
    explicit LocalCluster(int peerTimeoutMs = 1500, QStringList extraArguments = {});

    // Starts node n<index> (1-based); seeds: node 1's cluster address unless it is node 1.
    // A secret other than the cluster's may be given to see it refused.
    bool startNode(int index, const QByteArray &secret = {});
    ServerProcess &node(int index) { return *m_nodes.at(size_t(index - 1)); }
    QString clusterAddress(int index) const { return m_addresses.at(size_t(index - 1)); }
    int size() const { return int(m_nodes.size()); }

    // True once node index's latest view of the live nodes is exactly these (sorted) names.
    bool waitForView(int index, const QStringList &nodes, int timeoutMs = 20000);
    // Every running node sees every running node.
    bool waitForMesh(const QList<int> &indexes, int timeoutMs = 20000);

    void kill(int index);     // SIGKILL: no goodbye to anyone
    int terminate(int index); // SIGTERM: the graceful stop
    QString secretPath() const { return m_dir.filePath(QStringLiteral("secret")); }
    int peerTimeoutMs() const { return m_peerTimeoutMs; }

private:
    QTemporaryDir m_dir;
    int m_peerTimeoutMs;
    QStringList m_extraArguments;
    std::vector<std::unique_ptr<ServerProcess>> m_nodes;
    std::vector<QString> m_addresses;
};

} // namespace flack::test
