#pragma once
// flack-client's conversation over one QWebSocket: hello -> authenticate -> join, then either the
// reference client's script (send "I like cats", on its echo ping, on ping_reply wait the delay
// and send again; after --count messages leave, say goodbye, exit on server_goodbye) or, when
// interactive, one message per stdin line. Every record is strictly decoded and checked by a
// ConversationValidator first; the first violation ends the run with a non-zero exit code.
// Lives on the main thread.

#include "tools/core/clientoptions.h"
#include "tools/core/conversationvalidator.h"
#include "tools/core/eventformatter.h"

#include <QObject>
#include <QTimer>
#include <QWebSocket>

class QSocketNotifier;

namespace flack::tools {

class ChatClient : public QObject
{
    Q_OBJECT
public:
    enum ExitCode { Ok = 0, Usage = 1, Violation = 2, Failure = 3 };

    explicit ChatClient(ClientOptions options, QObject *parent = nullptr);
    void start();

signals:
    void finished(int exitCode);

private:
    enum class State { Connecting, Greeting, Joining, Chatting, Leaving, SayingGoodbye, Done };

    void onConnected();
    void onDisconnected();
    void onText(const QString &text);
    void handle(const protocol::ServerRecord &record);
    void sendRecord(const QByteArray &json);
    void sendChatMessage(const QString &text);
    void sendPing();
    void leave();
    void startReadingStdin();
    void readStdin();
    void finish(int exitCode, const QString &error = {});

    ClientOptions m_options;
    QWebSocket m_socket;
    ConversationValidator m_validator;
    EventFormatter m_formatter;
    State m_state = State::Connecting;
    int m_sent = 0;
    bool m_awaitingEcho = false;
    QTimer m_delayTimer;     // the scripted delay between a ping_reply and the next message
    QTimer m_keepAliveTimer; // protocol: ping after 20 s of sending nothing
    QSocketNotifier *m_stdinNotifier = nullptr;
    QByteArray m_stdinBuffer;
};

} // namespace flack::tools
