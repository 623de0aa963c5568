#pragma once
// The connection under a ClientSession, reduced to what the session needs. WebSocketTransport
// implements it over QWebSocket; tests use a fake that records what was sent. The transport
// calls the session's handleInputProcessed() after each batch of input it handed over.

#include "server/rooms/roommember.h"

#include <QString>

namespace flack::server::sessions {

class SessionTransport
{
public:
    virtual ~SessionTransport() = default;
    virtual void sendText(const QString &frame) = 0;
    // The same text, given as its UTF-8 bytes too: a transport may frame those directly, and
    // hold them for as long as pace allows to share a write with what follows. Returns false
    // if it held the frame: the connection's queue grows only when the transport hands what it
    // held over, and it calls the session's handleOutputQueued() then.
    virtual bool sendEncoded(const QString &frame, const QByteArray &utf8, rooms::DeliveryPace pace)
    {
        Q_UNUSED(utf8);
        Q_UNUSED(pace);
        sendText(frame);
        return true;
    }
    // A room's held joined/left events from from on (see RoomMember::deliverBatch), sent now
    // after anything held. Returns false if it held them instead, as sendEncoded.
    virtual bool sendBatch(const rooms::PresenceBatch &batch, qsizetype from)
    {
        for (qsizetype i = from; i < batch.size(); ++i)
            sendText(batch.frame(i));
        return true;
    }
    // A frame known only as its UTF-8 bytes (a chat_state, encoded once by the chat's owner),
    // sent now, after anything held.
    virtual void sendUtf8(const QByteArray &utf8) { sendText(QString::fromUtf8(utf8)); }
    // Every byte queued for the connection but not yet written to the kernel: frames from
    // sendText(), and what the websocket layer sends by itself (pongs, the close frame).
    virtual qint64 queuedBytes() const = 0;
    // Stops (true) or resumes reading from the connection: a client over its message rate
    // waits in its own TCP buffers, not in ours. Frames already read may still arrive.
    virtual void setReadingPaused(bool paused) = 0;
    // Closes with a websocket close code; the transport reports the end via the session's
    // handleDisconnected() (possibly later).
    virtual void close(quint16 closeCode, const QString &reason) = 0;
    // Drops the connection at once, without a close handshake.
    virtual void abort() = 0;
    // "address:port" of the client, for the admin view and logs.
    virtual QString remoteAddress() const = 0;
};

} // namespace flack::server::sessions
