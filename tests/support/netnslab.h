#pragma once
// A private network on this machine for partition tests, built with `ip` (iproute2) from
// network namespaces and veth pairs; needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN).
//
//   switch namespace:  bridge br0 with ports port1..portN
//   node namespace i:  cluster0 = 10.213.0.i/24, the other end of port<i> (the cluster network,
//                      which exists only inside the lab's namespaces);
//                      client0 = the node's end of a point-to-point link to the test process's
//                      namespace (10.213.X.0/24, one /30 per node, X chosen free), so clients
//                      keep reaching a node whose cluster port is cut.
//
// Nothing has a default route and the root namespace forwards nothing, so traffic stays between
// these addresses. Names carry the test's pid ("flacklab-<pid>-..."); leftovers of runs whose
// process is gone are removed first. The destructor stops whatever still runs in the lab's
// namespaces and deletes them, which also deletes every veth and the bridge. Used from the test's
// main thread.

#include <QString>
#include <QStringList>

namespace flack::test {

class NetnsLab
{
public:
    explicit NetnsLab(int nodeCount);
    ~NetnsLab();
    NetnsLab(const NetnsLab &) = delete;
    NetnsLab &operator=(const NetnsLab &) = delete;

    // Builds the network; false with the failing command and its output in error().
    bool setUp();
    QString error() const { return m_error; }

    int nodeCount() const { return m_nodeCount; }
    QString nodeNamespace(int index) const; // 1-based
    QString switchNamespace() const;
    QString clusterAddress(int index) const; // the node's address on the cluster switch
    QString clientAddress(int index) const;  // the node's address on its link to the test
    // Runs a command inside node index's namespace: `ip netns exec NS`.
    QStringList launcher(int index) const;

    // The node's port on the cluster switch goes down (its cluster traffic is dropped, silently
    // on both sides) or up again; its client link is untouched. False with error().
    bool cut(int index);
    bool restore(int index);

    // The commands run so far, for a failure message.
    QStringList log() const { return m_log; }

private:
    bool ip(const QStringList &arguments, QByteArray *output = nullptr);
    void removeNamespace(const QString &name);
    void removeLeftovers();
    int freeClientOctet();
    QString prefix() const;

    int m_nodeCount;
    qint64 m_pid;
    QString m_ip; // path of the ip binary
    int m_clientOctet = 0;
    QStringList m_created;   // namespaces, in creation order
    QStringList m_rootLinks; // our veth ends in the test's own namespace
    QString m_error;
    QStringList m_log;
};

} // namespace flack::test
