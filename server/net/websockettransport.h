#pragma once
// Carries one ClientSession over a QWebSocket: forwards frames and the disconnect to the
// session, and the session's frames, closes and aborts to the socket. Owns the socket.
// Lives on the connection's thread; created by ChatEndpoint.

#include "server/sessions/sessiontransport.h"

#include <QObject>
#include <QPointer>
#include <QTcpSocket>

class QWebSocket;

namespace flack::server::sessions {
class ClientSession;
}

namespace flack::server::net {

class WebSocketTransport : public QObject, public sessions::SessionTransport
{
    Q_OBJECT
public:
    // tcpSocket: the connection under socket (may be null if unknown: then reading can't
    // pause, and what is queued is seen only as chat frames are sent); see the destructor.
    // frameBound: the largest frame or message the websocket layer takes.
    WebSocketTransport(QWebSocket *socket, QTcpSocket *tcpSocket, qint64 frameBound,
                       QObject *parent = nullptr);
    ~WebSocketTransport() override;

    // Routes the socket's input to session from now on.
    void attach(sessions::ClientSession *session);
    QWebSocket *socket() const { return m_socket; }

    void sendText(const QString &frame) override;
    // Writes the frame to the TCP socket directly: server frames are unmasked, so a room's
    // event is the same bytes for every member, and only its few header bytes are per member
    // (QWebSocket would convert the text to UTF-8 and frame it again for each).
    void sendEncoded(const QString &frame, const QByteArray &utf8) override;
    // Writes the header of an unmasked, final text frame with a payload of this size into
    // out (room for kMaxFrameHeader bytes); returns its length.
    static constexpr int kMaxFrameHeader = 10;
    static int textFrameHeader(qint64 payloadBytes, char *out);
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

private:
    void catchUpReading();

    QWebSocket *m_socket;
    QPointer<QTcpSocket> m_tcpSocket;
    sessions::ClientSession *m_session = nullptr;
    bool m_readingPaused = false;
    // Set by every write (the handshake's answer counts), cleared by each sweep.
    bool m_wroteSinceSweep = true;
    // Written to since the buffer was last released, so Qt keeps a chunk for it.
    bool m_holdsWriteBuffer = false;
};

} // namespace flack::server::net
