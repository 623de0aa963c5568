#include "tests/support/wstestclient.h"

#include "shared/clientrecordencoder.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QSignalSpy>

#include <algorithm>

namespace flack::test {

WsTestClient::WsTestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_received.append(text.toUtf8()); });
    m_socket.setMaxAllowedIncomingMessageSize(64 * 1024 * 1024);
}

bool WsTestClient::open(const QUrl &url, int timeoutMs)
{
    QSignalSpy connected(&m_socket, &QWebSocket::connected);
    m_socket.open(url);
    return connected.wait(timeoutMs) || m_socket.state() == QAbstractSocket::ConnectedState;
}

void WsTestClient::sendText(const QByteArray &utf8)
{
    m_socket.sendTextMessage(QString::fromUtf8(utf8));
}

void WsTestClient::sendBinary(const QByteArray &bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

QByteArray WsTestClient::nextRaw(int timeoutMs)
{
    if (m_received.isEmpty()) {
        QSignalSpy spy(&m_socket, &QWebSocket::textMessageReceived);
        QDeadlineTimer deadline(timeoutMs);
        // Wake at least every 100 ms to notice a closed socket instead of waiting it out.
        while (m_received.isEmpty() && !deadline.hasExpired() &&
               m_socket.state() != QAbstractSocket::UnconnectedState)
            spy.wait(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    if (m_received.isEmpty())
        return {};
    return m_received.takeFirst();
}

QJsonObject WsTestClient::next(int timeoutMs)
{
    const QByteArray raw = nextRaw(timeoutMs);
    return QJsonDocument::fromJson(raw).object();
}

QJsonObject WsTestClient::nextOf(QStringView record, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QJsonObject object = next(int(qMax<qint64>(1, deadline.remainingTime())));
        if (object.isEmpty())
            return {};
        if (object.value(QLatin1StringView("record")).toString() == record)
            return object;
    }
    return {};
}

QString WsTestClient::login(const QString &userName, const QString &userId)
{
    sendText(protocol::encodeClientHello(u"1.0"));
    if (next().value(QLatin1StringView("record")).toString() != u"server_hello")
        return {};
    sendText(protocol::encodeAuthenticate(userName, userId));
    const QJsonObject reply = next();
    if (reply.value(QLatin1StringView("record")).toString() != u"authenticated")
        return {};
    return reply.value(QLatin1StringView("user_id")).toString();
}

QJsonObject WsTestClient::join(const QString &chatName)
{
    sendText(protocol::encodeJoinChat(chatName));
    const QJsonObject state = next();
    if (state.value(QLatin1StringView("record")).toString() != u"chat_state")
        return state;
    nextOf(u"joined");
    return state;
}

bool WsTestClient::waitForDisconnected(int timeoutMs)
{
    if (m_socket.state() == QAbstractSocket::UnconnectedState)
        return true;
    QSignalSpy spy(&m_socket, &QWebSocket::disconnected);
    return spy.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
}

bool WsTestClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

} // namespace flack::test
