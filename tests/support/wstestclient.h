#pragma once
// A websocket chat client for integration tests: connects, sends raw text, and waits
// (bounded, event-driven) for the next record or for the close.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

namespace flack::test {

class WsTestClient : public QObject
{
    Q_OBJECT
public:
    explicit WsTestClient(QObject *parent = nullptr);

    bool open(const QUrl &url, int timeoutMs = 10000);
    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &bytes);

    // The next received record, waiting up to timeoutMs; an empty object on timeout.
    QJsonObject next(int timeoutMs = 10000);
    // Raw text of the next received frame (byte-exact checks); null on timeout.
    QByteArray nextRaw(int timeoutMs = 10000);
    // Skips records until one with this "record" value arrives; empty object on timeout.
    QJsonObject nextOf(QStringView record, int timeoutMs = 10000);
    qsizetype pending() const { return m_received.size(); }

    // hello + authenticate; returns the user_id (empty on failure).
    QString login(const QString &userName, const QString &userId = {});
    // join_chat; returns the chat_state, and consumes the joiner's own joined record.
    QJsonObject join(const QString &chatName);

    bool waitForDisconnected(int timeoutMs = 10000);
    bool isConnected() const;
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QByteArray> m_received;
};

} // namespace flack::test
