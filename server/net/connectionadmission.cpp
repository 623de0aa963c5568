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
    m_pending.clear();
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
    return m_perAddress.value(addressKey(address));
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
    ++m_perAddress[key];
    auto *guard = new AdmissionGuard(this, key, socket);
    if (pending) {
        guard->m_pending = true;
        guard->m_position = m_pending.insert(m_pending.end(), guard);
    }
}

bool ConnectionAdmission::evictOldestPending()
{
    if (m_pending.empty())
        return false;
    AdmissionGuard *oldest = m_pending.front();
    leavePending(oldest);
    // A reset frees the socket's buffers and the peer at once, in every phase: the HTTP
    // listener, QWebSocketServer and QWebSocket all see the disconnect and free the socket.
    resetConnection(oldest->m_socket);
    return true;
}

void ConnectionAdmission::markEstablished(QTcpSocket *socket)
{
    if (!socket)
        return;
    AdmissionGuard *guard =
        socket->findChild<AdmissionGuard *>(QString(), Qt::FindDirectChildrenOnly);
    if (guard && guard->m_admission)
        guard->m_admission->leavePending(guard);
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
