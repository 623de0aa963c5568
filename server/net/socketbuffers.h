#pragma once
// Socket-level tuning Qt has no public API for.
// Write chunks: QAbstractSocket appends outgoing data to a ring buffer that grows in 32 KiB chunks
// and keeps one chunk for the socket's whole life once anything was buffered; with thousands of
// mostly idle chat connections those chunks were the largest part of the server's memory (measured
// with heaptrack: ~32 KiB allocated and most of it resident per connection). Qt has no public
// setter, so this uses the private one where Qt's private headers are available, and does nothing
// elsewhere.

#include <QtGlobal>

class QTcpSocket;
class QWebSocket;
class QWebSocketServer;

namespace flack::server::net {

// The write chunk size of every connection (HttpListener sets it). Measured
// (docs/benchmarks.md): 8 KiB keeps the batching that carries 627k deliveries/s at p99 ~22 ms,
// and saves ~5 KB per idle connection against Qt's 32 KiB. 4 KiB saved 3 KB more but splits
// bursts into more write()s and chunk allocations: at the same load p99 went past 100 ms.
inline constexpr int kSocketWriteChunkBytes = 8192;

// Sets the write chunk size. Smaller chunks still batch several frames per write() (one
// chunk goes per write), while an idle socket holds only one small chunk.
void setSocketWriteChunkSize(QTcpSocket *socket, int bytes);

// Whether this build can tune Qt's socket buffers (it has Qt's private headers); without them
// the two functions above and below do nothing.
bool socketBuffersTunable();

// Frees the socket's write chunk if nothing is queued in it: Qt keeps one chunk for the
// socket's whole life once anything was written (the handshake's answer is enough), so an idle
// connection holds one chunk for nothing. Returns true if the buffer was empty (and so
// released); false, and nothing changed, if data is queued or without Qt's private headers.
bool releaseIdleWriteBuffer(QTcpSocket *socket);

// Writes bytes to the socket's descriptor at once, around Qt's buffer, and returns how many the
// kernel took (0 on any error, which Qt then meets itself when given the rest). Only when Qt's
// buffer is empty, else the bytes would pass what waits there: then it takes nothing. For a
// connection idle long enough for its write chunk to be released, this is a write without
// allocating a new 8 KiB chunk for a few bytes (a pong, a message now and then). Plain TCP
// only: a QSslSocket's descriptor carries the encrypted stream.
qint64 sendDirectly(QTcpSocket *socket, const char *data, qint64 size);

// What is written to socket but not yet handed to the kernel. For a QSslSocket that includes
// the encrypted bytes waiting in its TCP socket: its bytesToWrite() counts only the plaintext
// not yet encrypted, which it encrypts as soon as it is written, so that alone stays near 0
// however much a peer that doesn't read leaves us holding.
qint64 unsentBytes(const QTcpSocket *socket);
// The same for a caller that knows whether socket is a QSslSocket (one that asks per frame
// decides that once, not with a cast each time).
qint64 unsentBytes(const QTcpSocket *socket, bool isTls);

// How long a closing connection may take to hand over its last bytes before it is reset.
inline constexpr int kCloseGraceMs = 5000;

// Drops a connection at once with a TCP reset. A plain abort() discards Qt's buffer but the
// kernel would still hold the unsent data, and the FIN behind it, for a peer that doesn't
// read (minutes of retries); a reset frees both sides now.
void resetConnection(QTcpSocket *socket);

// Frees the TCP socket under a finished QWebSocket. QWebSocket neither deletes its TCP socket
// nor lets QWebSocketServer do it (it drops every connection of that socket), and its close
// waits until the unsent data is written: a peer that stopped reading would keep it, its
// buffers and its descriptor forever. So: freed now when closed, else after a grace period.
void releaseUpgradedSocket(QTcpSocket *socket);

// Ends QWebSocketServer's hold on a socket it has upgraded. It stays connected to each one's
// disconnected() for the socket's whole life (to delete it then), and finds the socket that
// disconnected by searching every connection it holds (QObject::sender()): with N connections
// open, a burst of N disconnects cost N² steps, and each connection kept one more signal
// connection. The transports free their sockets themselves (releaseUpgradedSocket above), so
// an endpoint lets go as soon as the upgrade is done. Null socket: nothing to do.
void releaseFromWebSocketServer(QWebSocketServer &server, QTcpSocket *socket);

// Drops the signals QWebSocket passes through from its TCP socket that the chat's sessions
// never listen to (bytesWritten, errorOccurred, readChannelFinished, aboutToClose,
// proxyAuthenticationRequired): five signal connections less per connection, and no signal
// emitted on the websocket for each write() to a member's socket. What QWebSocket itself needs
// (its own slots for readyRead, stateChanged, destroyed) stays. Null socket: nothing to do.
void dropUnusedWebSocketForwards(QWebSocket &websocket, QTcpSocket *socket);

} // namespace flack::server::net
