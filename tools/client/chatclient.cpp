#include "tools/client/chatclient.h"

#include "shared/clientrecordencoder.h"
#include "shared/serverrecord.h"

#include <QSocketNotifier>
#include <QTextStream>

#include <cstdio>
#include <unistd.h>

namespace flack::tools {

using protocol::ServerRecordType;

namespace {

const QString kScriptedMessage = QStringLiteral("I like cats");
constexpr int kKeepAliveMs = 20000;

void printLine(const QString &line)
{
    QTextStream out(stdout);
    out << line << Qt::endl;
}

void printError(const QString &line)
{
    QTextStream err(stderr);
    err << "flack-client: " << line << Qt::endl;
}

} // namespace

ChatClient::ChatClient(ClientOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    // Chat messages are small; a server sending more than this is broken or hostile.
    m_socket.setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
    connect(&m_socket, &QWebSocket::connected, this, &ChatClient::onConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &ChatClient::onDisconnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &ChatClient::onText);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        finish(Violation, QStringLiteral("protocol violation: binary frame from the server"));
    });
    // Qt 6.4 names the signal error(); errorOccurred() came in 6.5.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_state == State::Connecting)
                    finish(Failure, QStringLiteral("cannot connect to ") +
                                        m_options.url.toString() + QStringLiteral(": ") +
                                        m_socket.errorString());
            });
    m_delayTimer.setSingleShot(true);
    connect(&m_delayTimer, &QTimer::timeout, this, [this] { sendChatMessage(kScriptedMessage); });
    m_keepAliveTimer.setSingleShot(true);
    m_keepAliveTimer.setInterval(kKeepAliveMs);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &ChatClient::sendPing);
}

void ChatClient::start()
{
    m_socket.open(m_options.url);
}

void ChatClient::onConnected()
{
    m_state = State::Greeting;
    m_validator.sentHello();
    sendRecord(protocol::encodeClientHello(u"1.0"));
}

void ChatClient::onDisconnected()
{
    if (m_state == State::Done)
        return;
    if (m_state == State::Connecting)
        return; // errorOccurred reports it
    finish(Failure, QStringLiteral("the server closed the connection (%1 %2)")
                        .arg(int(m_socket.closeCode()))
                        .arg(m_socket.closeReason()));
}

void ChatClient::onText(const QString &text)
{
    if (m_state == State::Done)
        return;
    const QByteArray utf8 = text.toUtf8();
    const protocol::ServerDecodeResult decoded = protocol::decodeServerRecord(utf8);
    QString violation = decoded.ok ? m_validator.check(decoded.record) : decoded.violation;
    if (!violation.isEmpty()) {
        finish(Violation, QStringLiteral("protocol violation: ") + violation +
                              QStringLiteral("\n  record: ") + QString::fromUtf8(utf8.left(500)));
        return;
    }
    handle(decoded.record);
}

void ChatClient::handle(const protocol::ServerRecord &record)
{
    const QString line = m_formatter.format(record);
    switch (record.type) {
    case ServerRecordType::ProtocolError:
        finish(Failure, QStringLiteral("server sent ") + line);
        return;
    case ServerRecordType::ServerHello:
        m_validator.sentAuthenticate(m_options.name);
        sendRecord(protocol::encodeAuthenticate(m_options.name));
        return;
    case ServerRecordType::Authenticated:
        m_state = State::Joining;
        m_validator.sentJoin(m_options.chat);
        sendRecord(protocol::encodeJoinChat(m_options.chat));
        return;
    case ServerRecordType::ServerGoodbye:
        finish(Ok);
        return;
    case ServerRecordType::PingReply:
        if (!m_options.interactive && m_state == State::Chatting && !m_awaitingEcho) {
            if (m_sent < m_options.count)
                m_delayTimer.start(m_options.delayMs);
            else
                leave();
        }
        return;
    case ServerRecordType::ChatState:
    case ServerRecordType::Joined:
    case ServerRecordType::ChatMessage:
    case ServerRecordType::Left:
        break;
    }

    if (!line.isEmpty())
        printLine(line);
    const bool own = record.userId == m_validator.ownUserId();
    if (record.type == ServerRecordType::Joined && own && m_state == State::Joining) {
        m_state = State::Chatting;
        if (m_options.interactive) {
            printLine(QStringLiteral("(type a line to send it to %1; end with Ctrl-D)")
                          .arg(m_options.chat));
            startReadingStdin();
        } else if (m_options.count > 0) {
            sendChatMessage(kScriptedMessage);
        } else {
            leave();
        }
    } else if (record.type == ServerRecordType::ChatMessage && own && m_awaitingEcho &&
               record.chatName == m_options.chat && record.message == kScriptedMessage) {
        m_awaitingEcho = false;
        sendPing();
    } else if (record.type == ServerRecordType::Left && own && m_state == State::Leaving) {
        m_state = State::SayingGoodbye;
        m_validator.sentGoodbye();
        sendRecord(protocol::encodeClientGoodbye());
    }
}

void ChatClient::sendRecord(const QByteArray &json)
{
    m_socket.sendTextMessage(QString::fromUtf8(json));
    // Any traffic resets the idle clock the keep-alive ping is for.
    m_keepAliveTimer.start();
}

void ChatClient::sendChatMessage(const QString &text)
{
    if (m_state != State::Chatting)
        return;
    ++m_sent;
    m_awaitingEcho = !m_options.interactive;
    sendRecord(protocol::encodeClientChatMessage(m_options.chat, text));
}

void ChatClient::sendPing()
{
    if (m_state == State::Done)
        return;
    m_validator.sentPing();
    sendRecord(protocol::encodePing());
}

void ChatClient::leave()
{
    m_state = State::Leaving;
    m_delayTimer.stop();
    if (m_stdinNotifier)
        m_stdinNotifier->setEnabled(false);
    m_validator.sentLeave(m_options.chat);
    sendRecord(protocol::encodeLeaveChat(m_options.chat));
}

void ChatClient::startReadingStdin()
{
    m_stdinNotifier = new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this);
    connect(m_stdinNotifier, &QSocketNotifier::activated, this, &ChatClient::readStdin);
}

void ChatClient::readStdin()
{
    char buffer[4096];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n > 0)
        m_stdinBuffer.append(buffer, n);
    qsizetype newline;
    while ((newline = m_stdinBuffer.indexOf('\n')) >= 0) {
        QString text = QString::fromUtf8(m_stdinBuffer.left(newline));
        m_stdinBuffer.remove(0, newline + 1);
        if (text.endsWith(u'\r'))
            text.chop(1);
        if (!text.isEmpty())
            sendChatMessage(text);
    }
    if (n <= 0) {
        // End of input (or an unreadable stdin): send what is left, then leave politely.
        if (!m_stdinBuffer.isEmpty())
            sendChatMessage(QString::fromUtf8(m_stdinBuffer));
        m_stdinBuffer.clear();
        leave();
    }
}

void ChatClient::finish(int exitCode, const QString &error)
{
    if (m_state == State::Done)
        return;
    m_state = State::Done;
    m_delayTimer.stop();
    m_keepAliveTimer.stop();
    if (m_stdinNotifier)
        m_stdinNotifier->setEnabled(false);
    if (!error.isEmpty())
        printError(error);
    m_socket.close();
    emit finished(exitCode);
}

} // namespace flack::tools
