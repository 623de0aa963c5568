#include "server/net/connectionadmission.h"

#include "server/net/socketbuffers.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace flack::server::net {

ConnectionAdmission::ConnectionAdmission(qsizetype maxPerAddress, qsizetype maxPending,
                                         bool capLoopback, QObject *parent)
    : QObject(parent), m_maxPerAddress(maxPerAddress), m_maxPending(maxPending),
      m_capLoopback(capLoopback)
{
}

ConnectionAdmission::~ConnectionAdmission()
{
    // Guards may outlive us on sockets freed later; their QPointer sees we are gone.
    const QMutexLocker lock(&m_lock);
    m_pending.clear();
}

qsizetype ConnectionAdmission::pendingCount() const
{
    const QMutexLocker lock(&m_lock);
    return qsizetype(m_pending.size());
}

QByteArray ConnectionAdmission::addressKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4) {
        const char bytes[4] = {char(v4 >> 24), char(v4 >> 16), char(v4 >> 8), char(v4)};
        return QByteArray(bytes, 4);
    }
    // One IPv6 subscriber usually holds a whole /64: counting single addresses would let one
    // host open 2^64 of them.
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 8);
}

qsizetype ConnectionAdmission::addressCount(const QHostAddress &address) const
{
    const QByteArray key = addressKey(address);
    const QMutexLocker lock(&m_lock);
    return m_perAddress.value(key);
}

bool ConnectionAdmission::addressFull(const QHostAddress &address) const
{
    if (!m_capLoopback && address.isLoopback())
        return false;
    return addressCount(address) >= m_maxPerAddress;
}

void ConnectionAdmission::track(QTcpSocket *socket, bool pending)
{
    const QByteArray key = addressKey(socket->peerAddress());
    auto *guard = new AdmissionGuard(this, key, socket);
    const QMutexLocker lock(&m_lock);
    ++m_perAddress[key];
    if (pending) {
        guard->m_pending = true;
        guard->m_position = m_pending.insert(m_pending.end(), guard);
    }
}

bool ConnectionAdmission::evictOldestPending()
{
    QTcpSocket *socket = nullptr;
    {
        const QMutexLocker lock(&m_lock);
        if (m_pending.empty())
            return false;
        AdmissionGuard *oldest = m_pending.front();
        leavePending(oldest);
        if (oldest->thread() != thread()) {
            // On a worker thread: reset there. The guard can't be destroyed while the lock is
            // held (its destructor takes it first), and a call queued to it dies with it.
            QMetaObject::invokeMethod(
                oldest, [socket = oldest->m_socket] { resetConnection(socket); },
                Qt::QueuedConnection);
            return true;
        }
        socket = oldest->m_socket;
    }
    // A reset frees the socket's buffers and the peer at once, in every phase: the HTTP
    // listener, QWebSocketServer and QWebSocket all see the disconnect and free the socket.
    // Outside the lock: what the disconnect sets off may end the socket and its guard here.
    resetConnection(socket);
    return true;
}

void ConnectionAdmission::markEstablished(QTcpSocket *socket)
{
    if (!socket)
        return;
    AdmissionGuard *guard =
        socket->findChild<AdmissionGuard *>(QString(), Qt::FindDirectChildrenOnly);
    if (guard && guard->m_admission) {
        const QMutexLocker lock(&guard->m_admission->m_lock);
        guard->m_admission->leavePending(guard);
    }
}

void ConnectionAdmission::leavePending(AdmissionGuard *guard)
{
    if (!guard->m_pending)
        return;
    guard->m_pending = false;
    m_pending.erase(guard->m_position);
}

void ConnectionAdmission::released(AdmissionGuard *guard)
{
    const QMutexLocker lock(&m_lock);
    leavePending(guard);
    const auto count = m_perAddress.find(guard->m_key);
    if (count != m_perAddress.end() && --count.value() <= 0)
        m_perAddress.erase(count);
}

AdmissionGuard::AdmissionGuard(ConnectionAdmission *admission, QByteArray key, QTcpSocket *socket)
    : QObject(socket), m_admission(admission), m_key(std::move(key)), m_socket(socket)
{
}

AdmissionGuard::~AdmissionGuard()
{
    if (m_admission)
        m_admission->released(this);
}

} // namespace flack::server::net
