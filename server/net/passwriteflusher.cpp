#include "server/net/passwriteflusher.h"

#include <QAbstractEventDispatcher>

#include <utility>

namespace flack::server::net {

PassWriteFlusher::PassWriteFlusher(qint64 maxBytes, QObject *parent)
    : QObject(parent), m_maxBytes(maxBytes)
{
    if (auto *dispatcher = QAbstractEventDispatcher::instance())
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this,
                &PassWriteFlusher::flushAll);
}

void PassWriteFlusher::flushAll()
{
    // Not again from within a flush (a nested event loop in some handler): its list is busy.
    if (m_sockets.empty() || !m_flushing.empty())
        return;
    ++m_pass;
    m_flushing.swap(m_sockets); // both keep their capacity: no allocation per pass
    for (const QPointer<QTcpSocket> &socket : m_flushing) {
        if (socket && unsentBytes(socket) <= m_maxBytes)
            socket->flush();
    }
    m_flushing.clear();
}

} // namespace flack::server::net
