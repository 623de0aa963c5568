#pragma once
// Carries one ClientSession over a QWebSocket: forwards frames and the disconnect to the
// session, and the session's frames, closes and aborts to the socket. Owns the socket.
// Lives on the connection's thread; created by ChatEndpoint.

#include "server/net/framecache.h"
#include "server/net/heldframes.h"
#include "server/net/passwriteflusher.h"
#include "server/net/writecoalescer.h"
#include "server/sessions/sessiontransport.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

#include <limits>

class QWebSocket;

namespace flack::server::sessions {
class ClientSession;
}

namespace flack::server::net {

class WebSocketTransport : public QObject,
                           public sessions::SessionTransport,
                           private WriteCoalescer::Client
{
    Q_OBJECT
public:
    // tcpSocket: the connection under socket (may be null if unknown: then reading can't
    // pause, and what is queued is seen only as chat frames are sent); see the destructor.
    // frameBound: the largest frame or message the websocket layer takes. coalescer (may be
    // null): lets frames sent close together share a write (see WriteCoalescer);
    // presenceCoalescer (may be null: coalescer serves both), the same with the longer window
    // that joined/left may wait.
    WebSocketTransport(QWebSocket *socket, QTcpSocket *tcpSocket, qint64 frameBound,
                       WriteCoalescer *coalescer = nullptr,
                       WriteCoalescer *presenceCoalescer = nullptr, QObject *parent = nullptr);
    ~WebSocketTransport() override;

    // What this transport writes to its TCP socket goes to the kernel before the event loop
    // next waits, not a pass later (see PassWriteFlusher). Null: Qt writes it as usual.
    void setWriteFlusher(PassWriteFlusher *flusher) { m_flusher = flusher; }

    // Routes the socket's input to session from now on.
    void attach(sessions::ClientSession *session);
    QWebSocket *socket() const { return m_socket; }

    void sendText(const QString &frame) override;
    // Writes the frame to the TCP socket directly: server frames are unmasked, so a room's
    // event is the same bytes for every member, and only its few header bytes are per member
    // (QWebSocket would convert the text to UTF-8 and frame it again for each). A frame that
    // follows the last write within the coalescer's window is held, and goes with the others
    // held when the window ends; anything else sent (sendText, a close) first hands the held
    // frames over, so the order on the wire is the order sent.
    // Returns false when it held the frame (see SessionTransport).
    bool sendEncoded(const QString &frame, const QByteArray &utf8,
                     rooms::DeliveryPace pace) override;
    // A room's held joined/left (see RoomMember::deliverBatch): framed once for the room
    // (PresenceBatch::wire) and written in one piece, or held behind what this connection
    // holds already, so the order on the wire stays the order sent.
    bool sendBatch(const rooms::PresenceBatch &batch, qsizetype from) override;
    // A chat_state, framed here from the owner's bytes (QWebSocket would take it as a QString
    // and convert it back to UTF-8, a line per member of the chat); after what is held.
    void sendUtf8(const QByteArray &utf8) override;
    qint64 queuedBytes() const override;
    void setReadingPaused(bool paused) override;
    void close(quint16 closeCode, const QString &reason) override;
    void abort() override;
    QString remoteAddress() const override;

    // Called once per memory sweep (ChatEndpoint): frees the TCP socket's write chunk once the
    // connection wrote nothing for a whole sweep interval and nothing is queued, so an idle
    // connection holds no write buffer. True if a buffer was released.
    bool releaseIdleWriteBuffer();

    // The most a connection may have read from the kernel but not handed to the websocket
    // layer; for a paused reader, the most it makes us hold before TCP pushes back. Frames up
    // to frameBound must fit.
    static qint64 readBufferBytes(qint64 frameBound);

    // Held frames go to the socket at once when they reach this much: a write() of this size
    // already carries its cost, and what we hold back the reader can't take (the slow-reader
    // rule counts it; within one long presence window a room filling fast would pass it).
    static constexpr qint64 kMaxHeldBytes = 16 * 1024;
    // Frames held for the coalescer's window, not yet given to the socket.
    qint64 heldBytes() const { return m_held.bytes(); }

private:
    void catchUpReading();
    void flushHeld() override; // WriteCoalescer::Client: the window has passed
    void flushHeldNow();        // before anything else is written, or the end
    // Adds a frame to the hold; false if that made the hold reach its bound and go.
    bool holdFrame(const QByteArray &utf8, WriteCoalescer *coalescer);
    bool handOverHeld(); // true if it wrote
    bool canWriteFrames() const;
    void writeFrame(const QByteArray &utf8); // header and payload, to the TCP socket
    void writeToSocket(const QByteArray &bytes);
    // Room events are framed once for all members of a thread (see FrameCache).
    static const QByteArray &framed(const QByteArray &utf8);
    static void frameText(const QByteArray &utf8, QByteArray &out); // a PresenceBatch::WireEncoder
    void list(WriteCoalescer *coalescer);
    void noteWritten(); // the TCP socket was given bytes: list it with the flusher

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcpSocket;
    // Decided once: queuedBytes() runs for every delivery, and a cast per call showed in the
    // profile of a room's fan-out.
    bool m_tls = false;
    sessions::ClientSession *m_session = nullptr;
    bool m_readingPaused = false;
    QPointer<WriteCoalescer> m_coalescer;
    QPointer<WriteCoalescer> m_presenceCoalescer;
    QPointer<PassWriteFlusher> m_flusher;
    quint64 m_flushListedPass = 0; // see PassWriteFlusher::add
    HeldFrames m_held;
    qint64 m_lastWriteMs = std::numeric_limits<qint64>::min() / 2; // long ago
    bool m_holding = false; // frames held; they go when a coalescer calls
    bool m_listedPrompt = false;   // in this hold, listed with m_coalescer
    bool m_listedPresence = false; // in this hold, listed with m_presenceCoalescer
    int m_listings = 0; // our entries in the coalescers' lists (see flushHeldNow)
    // Set by every write (the handshake's answer counts), cleared by each sweep.
    bool m_wroteSinceSweep = true;
    // Written to since the buffer was last released, so Qt keeps a chunk for it (or would for
    // its next write: see writeToSocket). False: idle, the next write goes to the kernel.
    // The handshake's answer took a chunk.
    bool m_holdsWriteBuffer = true;
};

} // namespace flack::server::net
