#pragma once
// Ends a TCP connection so that everything written to it reaches the peer. A plain
// disconnectFromHost() closes the descriptor as soon as Qt's buffer is in the kernel; if the
// peer has sent anything we haven't read by then (a heartbeat, a pipelined request) or sends
// it while the rest of ours is still in flight, the kernel answers with a reset and throws
// away what it had not yet sent: the peer loses the last frames (a Leaving, a Refused). So
// this closes the way a careful server does ("lingering close"): once every byte is in the
// kernel, shut down the sending side only (the peer gets a FIN after our last byte), read and
// drop whatever still comes, and let go of the socket when the peer closes too — or reset it
// after kCloseGraceMs if the peer never does.

class QTcpSocket;

namespace flack::server::net {

// Closes socket as above: it ends unconnected (disconnected() is emitted) when the peer has
// closed too, or reset after the grace period. The socket object stays its owner's to delete;
// an owner going away sooner leaves it to finish (isClosingAfterSending), deleting it on
// disconnected(). The caller drops its own connections to the socket first and writes nothing
// more. Over TLS the peer sees the end of the stream without a close_notify. A socket not
// connected is aborted; a null one is ignored.
void closeAfterSending(QTcpSocket *socket);

// Whether socket is still being closed by closeAfterSending.
bool isClosingAfterSending(const QTcpSocket *socket);

} // namespace flack::server::net
