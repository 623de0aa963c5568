#pragma once
// Logs why a connection was refused, and from where, without letting the refused write our log
// for us: at most kBurst lines per kWindowMs, then one line counting what was left out. An
// attacker opening thousands of connections a second costs a few lines, not a full disk.
// Lives on the listener's thread; owned by HttpListener.

#include <QElapsedTimer>
#include <QHostAddress>
#include <QString>

namespace flack::server::net {

class RefusalLog
{
public:
    static constexpr int kBurst = 20;
    static constexpr qint64 kWindowMs = 10000;

    RefusalLog() { m_window.start(); }

    // "refused a connection from <address>: <reason>", unless this window's lines are spent.
    void refused(const QHostAddress &address, const QString &reason);

    qint64 suppressed() const { return m_suppressed; }

private:
    QElapsedTimer m_window;
    int m_logged = 0;
    qint64 m_suppressed = 0; // in the current window
};

} // namespace flack::server::net
