#pragma once
// Two connected QTcpSockets over loopback, for tests of what one side does to a connection:
// accepted (the server's side, the one tested) and dialed (the other end). Made with blocking
// calls, so no event loop runs for either before the test starts.

#include <QTcpServer>
#include <QTcpSocket>

#include <memory>

namespace flack::tests {

struct LoopbackPair
{
    QTcpServer server;
    QTcpSocket dialed;
    std::unique_ptr<QTcpSocket> accepted;

    // Listens, dials and accepts, each within 5 s; false if any of it failed.
    bool connect()
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            return false;
        dialed.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!server.waitForNewConnection(5000) || !dialed.waitForConnected(5000))
            return false;
        accepted.reset(server.nextPendingConnection());
        return accepted != nullptr;
    }
};

} // namespace flack::tests
