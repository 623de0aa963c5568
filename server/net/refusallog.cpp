#include "server/net/refusallog.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcAdmission, "flack.admission")

namespace flack::server::net {

void RefusalLog::refused(const QHostAddress &address, const QString &reason)
{
    if (m_window.elapsed() >= kWindowMs) {
        // Reported with the next refusal: a quiet log needs no summary.
        if (m_suppressed > 0)
            qCInfo(lcAdmission).noquote()
                << m_suppressed << "more refused connections were not logged";
        m_window.restart();
        m_logged = 0;
        m_suppressed = 0;
    }
    if (m_logged >= kBurst) {
        ++m_suppressed;
        return;
    }
    ++m_logged;
    qCInfo(lcAdmission).noquote() << "refused a connection from" << address.toString() + u':'
                                  << reason;
}

} // namespace flack::server::net
