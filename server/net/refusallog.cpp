#include "server/net/refusallog.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAdmission, "flack.admission")

namespace flack::server::net {

void RefusalLog::refused(const QHostAddress &address, const QString &reason)
{
    log(QStringLiteral("refused a connection from %1: %2").arg(address.toString(), reason));
}

void RefusalLog::evictedFor(const QHostAddress &address, const QString &why)
{
    log(QStringLiteral("admitted a connection from %1 by resetting the oldest one not yet "
                       "authenticated (%2)")
            .arg(address.toString(), why));
}

void RefusalLog::log(const QString &line)
{
    if (m_window.elapsed() >= kWindowMs) {
        // Reported with the next refusal: a quiet log needs no summary.
        if (m_suppressed > 0)
            qCInfo(lcAdmission).noquote()
                << m_suppressed << "more admission lines (refusals, evictions) were not logged";
        m_window.restart();
        m_logged = 0;
        m_suppressed = 0;
    }
    if (m_logged >= kBurst) {
        ++m_suppressed;
        return;
    }
    ++m_logged;
    qCInfo(lcAdmission).noquote() << line;
}

} // namespace flack::server::net
