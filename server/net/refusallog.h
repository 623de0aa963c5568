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
    // "admitted a connection from <address> by resetting the oldest one not yet authenticated
    // (<why>)": under attack, the line that says so. Shares the refusals' budget.
    void evictedFor(const QHostAddress &address, const QString &why);

    qint64 suppressed() const { return m_suppressed; }

private:
    void log(const QString &line);

    QElapsedTimer m_window;
    int m_logged = 0;
    qint64 m_suppressed = 0; // in the current window
};

} // namespace flack::server::net
