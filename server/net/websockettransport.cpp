#include "server/net/websockettransport.h"

#include "server/net/socketbuffers.h"
#include "server/sessions/clientsession.h"

#include <QSslSocket>
#include <QTimer>
#include <QWebSocket>

#include <utility>

namespace flack::server::net {

WebSocketTransport::WebSocketTransport(QWebSocket *socket, QTcpSocket *tcpSocket, qint64 frameBound,
                                       WriteCoalescer *coalescer,
                                       WriteCoalescer *presenceCoalescer, QObject *parent)
    : QObject(parent), m_socket(socket), m_tcpSocket(tcpSocket), m_coalescer(coalescer),
      m_presenceCoalescer(presenceCoalescer ? presenceCoalescer : coalescer)
{
    m_socket->setParent(this);
    m_tls = qobject_cast<QSslSocket *>(tcpSocket) != nullptr;
    if (m_tcpSocket) {
        // Bounded reads: one pass of the event loop takes a few messages from a connection, not
        // all a client could send (a burst of megabytes would otherwise be fanned out to a room
        // before any of it is written), and a paused reader holds no more than this.
        m_tcpSocket->setReadBufferSize(readBufferBytes(frameBound));
    }
}

qint64 WebSocketTransport::readBufferBytes(qint64 frameBound)
{
    return 2 * frameBound + 16 * 1024;
}

WebSocketTransport::~WebSocketTransport()
{
    // The session goes first, while the socket it may still talk to exists; then the socket,
    // whose own destruction must not signal a disconnect to anyone.
    m_socket->disconnect();
    if (m_listings > 0) {
        if (m_coalescer)
            m_coalescer->remove(this);
        if (m_presenceCoalescer && m_presenceCoalescer != m_coalescer)
            m_presenceCoalescer->remove(this);
    }
    if (m_tcpSocket)
        m_tcpSocket->blockSignals(false);
    delete m_session;
    delete m_socket;
    releaseUpgradedSocket(m_tcpSocket.data());
}

void WebSocketTransport::attach(sessions::ClientSession *session)
{
    m_session = session;
    connect(m_socket, &QWebSocket::textMessageReceived, session,
            &sessions::ClientSession::handleTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, session,
            [session](const QByteArray &) { session->handleBinaryMessage(); });
    connect(m_socket, &QWebSocket::disconnected, session,
            &sessions::ClientSession::handleDisconnected);
    if (m_tcpSocket) {
        // Connected after the websocket layer's own handler, so this runs once it has handed
        // over the frames of this read and queued its answers to control frames: a client
        // that pings and never reads is held to its backlog like one sent chat frames.
        connect(m_tcpSocket.data(), &QIODevice::readyRead, session,
                &sessions::ClientSession::handleInputProcessed);
    }
}

void WebSocketTransport::setReadingPaused(bool paused)
{
    if (!m_tcpSocket || paused == m_readingPaused)
        return;
    m_readingPaused = paused;
    // The websocket layer reads when the TCP socket signals readyRead, and then takes all
    // that is buffered: withholding the socket's signals is what pauses it. Qt then fills the
    // socket's bounded read buffer and stops reading from the kernel, so TCP flow control
    // slows the client down.
    m_tcpSocket->blockSignals(paused);
    if (!paused)
        QMetaObject::invokeMethod(this, &WebSocketTransport::catchUpReading, Qt::QueuedConnection);
}

void WebSocketTransport::catchUpReading()
{
    if (m_readingPaused || !m_tcpSocket || !m_session)
        return;
    QTcpSocket *tcp = m_tcpSocket.data();
    if (tcp->state() != QAbstractSocket::ConnectedState) {
        // The end came while the signals were withheld: the websocket layer never saw it.
        m_session->handleDisconnected();
        return;
    }
    // Reading stopped when the read buffer filled; re-arm it, then let the websocket layer take
    // what waited (it would otherwise wait for the next segment from the client).
    const qint64 bufferSize = tcp->readBufferSize();
    tcp->setReadBufferSize(0);
    tcp->setReadBufferSize(bufferSize);
    if (tcp->bytesAvailable() > 0)
        Q_EMIT tcp->readyRead();
}

bool WebSocketTransport::releaseIdleWriteBuffer()
{
    // Busy since the last sweep: keep the chunk, the next frames would allocate it again.
    if (std::exchange(m_wroteSinceSweep, false)) {
        m_holdsWriteBuffer = true;
        return false;
    }
    if (!m_holdsWriteBuffer || !m_tcpSocket || !net::releaseIdleWriteBuffer(m_tcpSocket.data()))
        return false;
    m_holdsWriteBuffer = false;
    return true;
}

void WebSocketTransport::sendText(const QString &frame)
{
    m_wroteSinceSweep = true;
    flushHeldNow();
    m_socket->sendTextMessage(frame);
    noteWritten();
}

bool WebSocketTransport::sendEncoded(const QString &frame, const QByteArray &utf8,
                                     rooms::DeliveryPace pace)
{
    m_wroteSinceSweep = true;
    WriteCoalescer *coalescer =
        pace == rooms::DeliveryPace::Presence ? m_presenceCoalescer.data() : m_coalescer.data();
    if (m_holding && coalescer && coalescer->windowMs() > 0) {
        // Joins the hold without a look at the sockets: whether they are still open is asked
        // when the hold is handed over. In a storm of joins most deliveries come here, and the
        // sockets' objects are the memory a member's delivery would otherwise touch.
        return !holdFrame(utf8, coalescer);
    }
    if (!canWriteFrames()) {
        sendText(frame);
        return true;
    }
    // One clock read per delivery: it decides the hold and dates the write.
    const qint64 now = WriteCoalescer::nowMs();
    if (m_holding && coalescer && coalescer->windowMs() == 0) {
        handOverHeld(); // this pace waits for nothing: what is held goes first, then it
    } else if (coalescer && (m_holding || coalescer->shouldHold(m_lastWriteMs, now))) {
        return !holdFrame(utf8, coalescer);
    }
    writeFrame(utf8);
    m_lastWriteMs = now;
    return true;
}

bool WebSocketTransport::sendBatch(const rooms::PresenceBatch &batch, qsizetype from)
{
    if (from >= batch.size())
        return true;
    if (!canWriteFrames())
        return SessionTransport::sendBatch(batch, from); // one sendText each
    m_wroteSinceSweep = true;
    const QByteArray wire = batch.wire(from, &WebSocketTransport::frameText);
    if (m_holding) {
        // Behind frames this connection holds (another room's, a message in the short
        // window): they go first, this with them.
        m_held.append(wire);
        if (m_held.bytes() < kMaxHeldBytes)
            return false;
        handOverHeld();
        return true;
    }
    // The room held these for a window already: they go now.
    writeToSocket(wire);
    m_lastWriteMs = WriteCoalescer::nowMs();
    return true;
}

void WebSocketTransport::sendUtf8(const QByteArray &utf8)
{
    if (!canWriteFrames())
        return sendText(QString::fromUtf8(utf8));
    m_wroteSinceSweep = true;
    flushHeldNow();
    // Not dated as a room's write, like sendText: the joiner's own joined right behind its
    // chat_state must not wait a window (a storm of joins would wait for it, one by one).
    writeFrame(utf8);
}

bool WebSocketTransport::canWriteFrames() const
{
    // Only while the websocket is open: after its close frame nothing else may follow, and
    // without the TCP socket there is nothing to write to.
    return m_tcpSocket && m_tcpSocket->state() == QAbstractSocket::ConnectedState &&
           m_socket->state() == QAbstractSocket::ConnectedState;
}

const QByteArray &WebSocketTransport::framed(const QByteArray &utf8)
{
    // One per thread: a thread's members are delivered one after another, so the first one
    // frames an event and the rest of its room find it.
    static thread_local FrameCache threadFrames;
    return threadFrames.framed(utf8);
}

void WebSocketTransport::frameText(const QByteArray &utf8, QByteArray &out)
{
    char header[FrameCache::kMaxFrameHeader];
    const int headerBytes = FrameCache::textFrameHeader(utf8.size(), header);
    out.append(header, headerBytes);
    out.append(utf8);
}

void WebSocketTransport::writeFrame(const QByteArray &utf8)
{
    // Framed once for the whole room.
    writeToSocket(framed(utf8));
}

void WebSocketTransport::writeToSocket(const QByteArray &bytes)
{
    // The first write after an idle spell (the sweep released the write chunk) goes straight to
    // the kernel: Qt would allocate a new 8 KiB chunk for it, to be released again a sweep later
    // if the connection stays as quiet as it was. Only the first: from then on the connection
    // is busy, and its writes wait in Qt's buffer to go together at the end of the pass.
    qint64 taken = 0;
    if (!m_holdsWriteBuffer && !m_tls) {
        taken = sendDirectly(m_tcpSocket.data(), bytes.constData(), bytes.size());
        m_holdsWriteBuffer = true;
    }
    if (taken == bytes.size())
        return;
    m_tcpSocket->write(taken == 0 ? bytes : bytes.sliced(taken));
    noteWritten();
}

void WebSocketTransport::noteWritten()
{
    if (m_flusher && m_tcpSocket)
        m_flusher->add(m_tcpSocket.data(), &m_flushListedPass);
}

bool WebSocketTransport::holdFrame(const QByteArray &utf8, WriteCoalescer *coalescer)
{
    m_held.append(framed(utf8));
    if (m_held.bytes() >= kMaxHeldBytes) {
        // A batch this big gains nothing by waiting longer (see kMaxHeldBytes).
        handOverHeld();
        return false;
    }
    m_holding = true;
    // Held frames go together, when the first of the windows they wait in ends: a
    // message held behind joined events goes within the short window, not the long one.
    list(coalescer);
    return true;
}

void WebSocketTransport::list(WriteCoalescer *coalescer)
{
    bool &listed = coalescer == m_coalescer.data() ? m_listedPrompt : m_listedPresence;
    if (listed)
        return;
    listed = true;
    ++m_listings;
    coalescer->add(this);
}

void WebSocketTransport::flushHeld()
{
    // A coalescer's call for one of our listings, which it has let go of.
    --m_listings;
    if (handOverHeld() && m_session)
        m_session->handleOutputQueued(); // the held frames count from now on
}

void WebSocketTransport::flushHeldNow()
{
    // Our listings stay with the coalescers (finding them would cost a search per call);
    // their calls then find nothing held, or what was held since, which may go early.
    handOverHeld();
}

bool WebSocketTransport::handOverHeld()
{
    // The next frame held starts a new hold, listed anew.
    m_holding = false;
    m_listedPrompt = false;
    m_listedPresence = false;
    if (m_held.isEmpty())
        return false;
    bool wrote = false;
    if (canWriteFrames()) {
        // One piece: Qt's buffer takes it as one block, written with one write().
        writeToSocket(m_held.take());
        m_lastWriteMs = WriteCoalescer::nowMs();
        m_wroteSinceSweep = true;
        wrote = true;
    }
    m_held.clear(); // an idle connection keeps no buffer
    return wrote;
}

qint64 WebSocketTransport::queuedBytes() const
{
    // The TCP socket's count where it is known: under TLS only it sees the encrypted bytes.
    if (!m_tcpSocket)
        return m_held.bytes() + m_socket->bytesToWrite();
    return m_held.bytes() + unsentBytes(m_tcpSocket.data(), m_tls);
}

void WebSocketTransport::close(quint16 closeCode, const QString &reason)
{
    m_wroteSinceSweep = true;
    flushHeldNow(); // what was sent before the close goes before it
    m_socket->close(QWebSocketProtocol::CloseCode(closeCode), reason);
    // The close completes once our queued data and the close frame are written; a peer that
    // stopped reading never lets it. The timer dies with this transport when it does.
    QTimer::singleShot(kCloseGraceMs, this, [this] { abort(); });
}

void WebSocketTransport::abort()
{
    m_held.clear();
    flushHeldNow(); // nothing left to hand over: just leaves the coalescer
    if (m_tcpSocket)
        resetConnection(m_tcpSocket.data()); // QWebSocket notices and reports the disconnect
    else
        m_socket->abort();
}

QString WebSocketTransport::remoteAddress() const
{
    const QHostAddress address = m_socket->peerAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(m_socket->peerPort());
}

} // namespace flack::server::net
