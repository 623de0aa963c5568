#include "server/cluster/peerlink.h"

#include "server/net/gracefulclose.h"
#include "server/net/socketbuffers.h"

#include <QHostAddress>
#include <QLoggingCategory>
#include <QSslSocket>
#include <QtEndian>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace flack::server::cluster {

namespace {

Q_LOGGING_CATEGORY(lcPeerLink, "flack.cluster")

// Qt's own read buffer is unbounded by default: a peer sending faster than we handle frames
// would grow it without limit. Bounded, Qt stops reading and TCP flow control pushes back on
// the peer; the frame reader holds at most one frame on top of it.
constexpr qint64 kSocketReadBufferBytes = 256 * 1024;

constexpr qsizetype kHeartbeatPayloadBytes = 8;

QString formatAddress(const QHostAddress &address, quint16 port)
{
    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; logs read better without.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return u"%1:%2"_s.arg(QHostAddress(v4).toString()).arg(port);
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return u"[%1]:%2"_s.arg(address.toString()).arg(port);
    return u"%1:%2"_s.arg(address.toString()).arg(port);
}

QByteArray heartbeatPayload(qint64 micros)
{
    QByteArray payload(kHeartbeatPayloadBytes, Qt::Uninitialized);
    qToBigEndian<qint64>(micros, payload.data());
    return payload;
}

} // namespace

PeerLink::PeerLink(QTcpSocket *socket, bool outbound, const PeerLinkSettings &settings,
                   QObject *parent)
    : QObject(parent), m_socket(socket), m_outbound(outbound), m_settings(settings),
      m_handshake(settings.secret, settings.self),
      m_reader(qMax(settings.maxFrameBytes, PeerHandshake::kMaxHelloBytes + 2))
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kSocketReadBufferBytes);
    m_clock.start();
    m_lastReceived.start();

    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        QString what = u"handshake not completed"_s;
        if (m_state == State::Connecting) {
            // Connected but still Connecting: the TLS handshake is what never finished.
            what = m_socket->state() == QAbstractSocket::ConnectedState
                       ? u"TLS handshake not completed"_s
                       : u"not connected"_s;
        }
        finish(u"%1 within %2 ms"_s.arg(what).arg(m_settings.handshakeTimeoutMs), Ending::Reset);
    });
    m_heartbeatTimer.setInterval(m_settings.heartbeatIntervalMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &PeerLink::sendHeartbeat);
    m_livenessTimer.setSingleShot(true);
    connect(&m_livenessTimer, &QTimer::timeout, this, &PeerLink::checkLiveness);

    connect(m_socket, &QAbstractSocket::connected, this, &PeerLink::onConnected);
    if (auto *tls = qobject_cast<QSslSocket *>(m_socket)) {
        connect(tls, &QSslSocket::encrypted, this, &PeerLink::onEncrypted);
        // The CA decides who is a peer; the name it was dialed by doesn't (see PeerLinkSettings).
        // Every other error (an unknown issuer, an expired certificate) fails the handshake.
        connect(tls, &QSslSocket::sslErrors, this, [tls](const QList<QSslError> &errors) {
            const bool onlyTheName =
                std::all_of(errors.begin(), errors.end(), [](const QSslError &error) {
                    return error.error() == QSslError::HostNameMismatch;
                });
            if (onlyTheName)
                tls->ignoreSslErrors(errors);
        });
    }
    connect(m_socket, &QIODevice::readyRead, this, &PeerLink::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this,
            [this] { onSocketEnded(m_socket->errorString()); });
    connect(m_socket, &QAbstractSocket::disconnected, this,
            [this] { onSocketEnded(u"connection closed by the peer"_s); });

    // The deadline covers connecting too: a dial that hangs in SYN retries must end as well.
    m_handshakeTimer.start(m_settings.handshakeTimeoutMs);
}

PeerLink::PeerLink(QTcpSocket *acceptedSocket, const PeerLinkSettings &settings, QObject *parent)
    : PeerLink(acceptedSocket, false, settings, parent)
{
    m_remoteAddress = formatAddress(m_socket->peerAddress(), m_socket->peerPort());
    // Nagle + delayed ACK would put ~40 ms under every small frame (heartbeats included).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    // Started from the event loop: a socket that is already gone, bytes that already arrived
    // or settings the handshake refuses all end in signals, which must come after the caller
    // has connected to them.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_state != State::Connecting)
                return;
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                return finish(u"connection closed before the handshake"_s, Ending::Reset);
            // Over TLS the Hellos wait for encryption (onEncrypted); the deadline covers both.
            if (auto *tls = qobject_cast<QSslSocket *>(m_socket))
                return tls->startServerEncryption();
            startHandshake();
        },
        Qt::QueuedConnection);
}

PeerLink *PeerLink::dial(const QString &host, quint16 port, const PeerLinkSettings &settings,
                         QObject *parent)
{
    QTcpSocket *socket = nullptr;
    if (settings.tls) {
        auto *tls = new QSslSocket;
        tls->setSslConfiguration(*settings.tls);
        socket = tls;
    } else {
        socket = new QTcpSocket;
    }
    auto *link = new PeerLink(socket, true, settings, parent);
    link->m_remoteAddress = u"%1:%2"_s.arg(host).arg(port);
    // Some connect failures are reported from inside connectToHost(): call it from the event
    // loop so they reach the caller's handlers.
    QMetaObject::invokeMethod(
        link,
        [link, host, port] {
            if (link->m_state != State::Connecting)
                return;
            if (link->m_handshake.state() == PeerHandshake::State::Failed)
                return link->finish(link->m_handshake.failureReason(), Ending::Reset);
            if (auto *tls = qobject_cast<QSslSocket *>(link->m_socket))
                tls->connectToHostEncrypted(host, port);
            else
                link->m_socket->connectToHost(host, port);
        },
        Qt::QueuedConnection);
    return link;
}

PeerLink::~PeerLink()
{
    disconnect(m_socket, nullptr, this, nullptr);
    if (net::isClosingAfterSending(m_socket) && !parent()) {
        // Nobody would free a socket left behind by a link without an owner (one a test made):
        // the close is cut short, and the socket goes with us.
        net::resetConnection(m_socket);
    } else if (net::isClosingAfterSending(m_socket)) {
        // A graceful close (Leaving, Refused) is still under way: the socket outlives us and
        // deletes itself once it's done, or when the grace timer of its close resets it.
        // It stays with our owner, so a node that quits meanwhile still frees it.
        m_socket->setParent(parent());
        connect(m_socket, &QAbstractSocket::disconnected, m_socket, &QObject::deleteLater);
    }
}

bool PeerLink::send(quint8 type, QByteArrayView payload)
{
    if (m_state != State::Up || type < kFirstClusterFrameType)
        return false;
    if (payload.size() > m_settings.maxFrameBytes - 2) {
        // The peer would cut the link over it; a caller's mistake shouldn't cost the link.
        qCWarning(lcPeerLink).noquote()
            << "peer link" << describePeer() << ": not sending a frame of type" << type << "with"
            << payload.size() << "bytes, over the limit of" << m_settings.maxFrameBytes;
        return false;
    }
    return writeFrame(type, payload);
}

void PeerLink::leave()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Up && !writeFrame(quint8(PeerFrameType::Leaving), QByteArrayView()))
        return;
    finish(u"left the cluster"_s, Ending::Graceful, false);
}

void PeerLink::close(const QString &reason)
{
    finish(reason, Ending::Graceful, false);
}

qint64 PeerLink::queuedBytes() const
{
    // Under TLS, the encrypted bytes too (see net::unsentBytes).
    return net::unsentBytes(m_socket);
}

void PeerLink::onConnected()
{
    if (m_state != State::Connecting)
        return;
    m_remoteAddress = formatAddress(m_socket->peerAddress(), m_socket->peerPort());
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (qobject_cast<QSslSocket *>(m_socket))
        return; // the Hellos go once the TLS handshake is done
    startHandshake();
}

void PeerLink::onEncrypted()
{
    if (m_state != State::Connecting)
        return;
    startHandshake();
}

void PeerLink::startHandshake()
{
    m_state = State::Handshaking;
    if (m_handshake.state() == PeerHandshake::State::Failed)
        return finish(m_handshake.failureReason(), Ending::Reset);
    // Both sides send their Hello at once; neither waits for the other's.
    if (!writeBytes(m_handshake.helloFrame()))
        return;
    onReadyRead();
}

void PeerLink::onReadyRead()
{
    if (m_state != State::Handshaking && m_state != State::Up)
        return;
    PeerFrame frame;
    QString error;
    for (;;) {
        // Every complete frame is taken out before more is read, so the reader never holds
        // more than one header + one body bound + the chunk just read.
        for (;;) {
            const PeerFrameReader::Status status = m_reader.next(&frame, &error);
            if (status == PeerFrameReader::Status::NeedMore)
                break;
            if (status == PeerFrameReader::Status::Error)
                return finish(u"undecodable frame: "_s + error, Ending::Reset);
            handleFrame(frame);
            if (m_state == State::Closed)
                return;
        }
        const qint64 available = m_socket->bytesAvailable();
        const qsizetype room = m_reader.wanted();
        if (available <= 0 || room <= 0)
            return;
        m_reader.append(m_socket->read(qMin(available, qint64(room))));
    }
}

void PeerLink::onSocketEnded(const QString &reason)
{
    if (m_state == State::Closed)
        return;
    // What the peer sent before closing (a Leaving, a Refused) still counts, and tells why.
    onReadyRead();
    finish(reason, Ending::Reset);
}

void PeerLink::handleFrame(PeerFrame &frame)
{
    m_lastReceived.restart();
    if (m_state == State::Handshaking)
        handleHandshakeFrame(frame);
    else
        handleLinkFrame(frame);
}

void PeerLink::handleHandshakeFrame(const PeerFrame &frame)
{
    const QByteArray reply = m_handshake.receive(frame);
    if (!reply.isEmpty() && !writeBytes(reply))
        return;
    switch (m_handshake.state()) {
    case PeerHandshake::State::Failed:
        // Graceful, so the Refused we may have queued reaches the peer and tells it why.
        finish(m_handshake.failureReason(), Ending::Graceful);
        return;
    case PeerHandshake::State::Authenticated:
        becomeUp();
        return;
    case PeerHandshake::State::AwaitingHello:
    case PeerHandshake::State::AwaitingProof:
        return;
    }
}

void PeerLink::handleLinkFrame(const PeerFrame &frame)
{
    if (frame.type >= kFirstClusterFrameType) {
        Q_EMIT frameReceived(frame.type, frame.payload);
        return;
    }
    switch (PeerFrameType(frame.type)) {
    case PeerFrameType::Heartbeat:
        if (frame.payload.size() != kHeartbeatPayloadBytes)
            return finish(u"malformed heartbeat"_s, Ending::Reset);
        writeFrame(quint8(PeerFrameType::HeartbeatReply), frame.payload);
        return;
    case PeerFrameType::HeartbeatReply: {
        if (frame.payload.size() != kHeartbeatPayloadBytes)
            return finish(u"malformed heartbeat reply"_s, Ending::Reset);
        const auto sent = qFromBigEndian<qint64>(frame.payload.constData());
        const qint64 roundTrip = clockMicros() - sent;
        // Our own timestamps come back: anything else is a broken or lying peer.
        if (sent < 0 || roundTrip < 0)
            return finish(u"heartbeat reply with a timestamp we never sent"_s, Ending::Reset);
        m_roundTripMs = int(qMin(roundTrip / 1000, qint64(std::numeric_limits<int>::max())));
        return;
    }
    case PeerFrameType::Leaving:
        Q_EMIT peerLeaving();
        finish(u"the peer is leaving the cluster"_s, Ending::Graceful, false);
        return;
    case PeerFrameType::Hello:
    case PeerFrameType::Proof:
    case PeerFrameType::Refused:
        break;
    }
    finish(u"unexpected frame of type %1 on an established link"_s.arg(frame.type), Ending::Reset);
}

void PeerLink::becomeUp()
{
    m_state = State::Up;
    m_handshakeTimer.stop();
    m_heartbeatTimer.start();
    m_livenessTimer.start(m_settings.peerTimeoutMs);
    qCInfo(lcPeerLink).noquote() << "peer link" << describePeer() << "up";
    // A first round trip right away rather than after a whole interval.
    sendHeartbeat();
    if (m_state == State::Up)
        Q_EMIT up();
}

void PeerLink::sendHeartbeat()
{
    if (m_state == State::Up)
        writeFrame(quint8(PeerFrameType::Heartbeat), heartbeatPayload(clockMicros()));
}

void PeerLink::checkLiveness()
{
    if (m_state != State::Up)
        return;
    // Restarting a timer on every received frame would cost more than reading a clock; the
    // timer only wakes at the earliest moment the peer could be overdue, and looks.
    const qint64 silentMs = m_lastReceived.elapsed();
    if (silentMs < m_settings.peerTimeoutMs) {
        m_livenessTimer.start(int(m_settings.peerTimeoutMs - silentMs));
        return;
    }
    finish(u"no frame from the peer for %1 ms"_s.arg(silentMs), Ending::Reset);
}

bool PeerLink::writeFrame(quint8 type, QByteArrayView payload)
{
    const qint64 frameBytes = kPeerFrameOverheadBytes + payload.size();
    if (queuedBytes() + frameBytes > m_settings.maxQueuedBytes) {
        finish(u"send queue would pass %1 bytes: the peer doesn't read"_s.arg(
                   m_settings.maxQueuedBytes),
               Ending::Reset);
        return false;
    }
    // Header and payload go separately into the socket's buffer: a large payload is copied
    // once, not first into a frame and then again.
    char header[kPeerFrameOverheadBytes];
    writePeerFrameHeader(header, type, payload.size());
    m_socket->write(header, kPeerFrameOverheadBytes);
    if (!payload.isEmpty())
        m_socket->write(payload.data(), payload.size());
    return true;
}

bool PeerLink::writeBytes(QByteArrayView bytes)
{
    if (queuedBytes() + bytes.size() > m_settings.maxQueuedBytes) {
        finish(u"send queue would pass %1 bytes: the peer doesn't read"_s.arg(
                   m_settings.maxQueuedBytes),
               Ending::Reset);
        return false;
    }
    m_socket->write(bytes.data(), bytes.size());
    return true;
}

void PeerLink::finish(const QString &reason, Ending ending, bool failure)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_handshakeTimer.stop();
    m_heartbeatTimer.stop();
    m_livenessTimer.stop();
    disconnect(m_socket, nullptr, this, nullptr);
    if (failure)
        qCWarning(lcPeerLink).noquote() << "peer link" << describePeer() << "down:" << reason;
    else
        qCInfo(lcPeerLink).noquote() << "peer link" << describePeer() << "closed:" << reason;

    if (ending == Ending::Graceful && m_socket->state() == QAbstractSocket::ConnectedState) {
        // Not disconnectFromHost(): a heartbeat of the peer's arriving meanwhile would make
        // the kernel reset the connection and drop our last frames (see gracefulclose.h).
        net::closeAfterSending(m_socket);
    } else if (m_socket->state() != QAbstractSocket::UnconnectedState) {
        net::resetConnection(m_socket);
    }
    Q_EMIT down(reason);
}

QString PeerLink::describePeer() const
{
    const QString direction = m_outbound ? u"outbound"_s : u"inbound"_s;
    const QString name = m_handshake.peer().name;
    if (name.isEmpty())
        return u"%1 (%2)"_s.arg(m_remoteAddress, direction);
    return u"'%1' (%2, %3)"_s.arg(name, m_remoteAddress, direction);
}

} // namespace flack::server::cluster
