#pragma once
// Who may hold a connection to the one port, beyond the overall --max-connections budget:
// - per address: every socket from one IPv4 address (or one IPv6 /64, what a single
//   subscriber is given) counts, HTTP phase and websocket alike, until the socket is really
//   destroyed — including its close and the grace period after it. Loopback addresses are
//   exempt unless asked otherwise: on this host everybody shares them (a reverse proxy such
//   as run-cluster.sh's nginx, flack-bench), and whoever can connect from here needs no
//   sockets to hurt us;
// - pending: sockets that have not yet authenticated (HTTP request, websocket handshake,
//   chat hello/authenticate, admin hello) form a pool of their own, kept in arrival order so
//   the listener can evict the oldest (see HttpListener for the policy).
// Each tracked socket gets an AdmissionGuard child: QWebSocket drops every signal connection
// of the QTcpSocket it takes over, but not the socket's children, so the guard's destructor
// is the one notice of the socket's end that survives the upgrade.
// Lives on the listener's thread; owned by HttpListener, which outlives every endpoint's use.
// A socket handed to a worker thread takes its guard along: the guard's end and
// markEstablished() may come from that thread, so the counts are kept under a lock, and an
// eviction resets such a socket on its own thread.

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <list>

class QHostAddress;
class QTcpSocket;

namespace flack::server::net {

class AdmissionGuard;

class ConnectionAdmission : public QObject
{
    Q_OBJECT
public:
    ConnectionAdmission(qsizetype maxPerAddress, qsizetype maxPending, bool capLoopback = false,
                        QObject *parent = nullptr);
    ~ConnectionAdmission() override;

    // The key connections are counted under: the IPv4 address (IPv4-mapped IPv6 included), or
    // the first 64 bits of an IPv6 address.
    static QByteArray addressKey(const QHostAddress &address);

    bool addressFull(const QHostAddress &address) const;
    bool pendingFull() const { return pendingCount() >= m_maxPending; }
    qsizetype pendingCount() const;
    qsizetype addressCount(const QHostAddress &address) const;

    // Counts socket against its address from now until it is destroyed; a pending one also
    // joins the pending pool, newest last.
    void track(QTcpSocket *socket, bool pending);
    // Resets the oldest pending connection, which leaves the pool at once (its address count
    // goes when its socket does). False when the pool is empty.
    bool evictOldestPending();

    // The connection on socket has authenticated: it leaves the pending pool. Harmless for a
    // socket that isn't tracked or already left.
    static void markEstablished(QTcpSocket *socket);

private:
    friend class AdmissionGuard;
    void released(AdmissionGuard *guard);
    void leavePending(AdmissionGuard *guard); // with m_lock held

    qsizetype m_maxPerAddress;
    qsizetype m_maxPending;
    bool m_capLoopback;
    mutable QMutex m_lock; // the counts and the pool, and each guard's place in it
    QHash<QByteArray, qsizetype> m_perAddress;
    std::list<AdmissionGuard *> m_pending; // oldest first
};

// The part of the admission that rides on a socket; see ConnectionAdmission.
class AdmissionGuard : public QObject
{
    Q_OBJECT
public:
    AdmissionGuard(ConnectionAdmission *admission, QByteArray key, QTcpSocket *socket);
    ~AdmissionGuard() override;

private:
    friend class ConnectionAdmission;
    QPointer<ConnectionAdmission> m_admission;
    QByteArray m_key;
    QTcpSocket *m_socket;
    bool m_pending = false;
    std::list<AdmissionGuard *>::iterator m_position;
};

} // namespace flack::server::net
