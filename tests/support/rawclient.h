#pragma once
// A websocket client below QWebSocket, for tests that must misbehave on purpose: a blocking
// POSIX socket that sends hand-made frames and, after the handshake, never reads (unlike a
// QTcpSocket, nothing drains it behind the test's back).

#include <QByteArray>
#include <QtGlobal>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <unistd.h>

namespace flack::test {

// A masked client frame (RFC 6455 requires clients to mask) with any opcode, final.
inline QByteArray maskedFrame(quint8 opcode, const QByteArray &payload)
{
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    if (payload.size() < 126) {
        frame.append(char(0x80 | payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        frame.append(char(0x80 | 126));
        frame.append(char(payload.size() >> 8)).append(char(payload.size() & 0xFF));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(payload.size()) >> shift) & 0xFF));
    }
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ mask[i % 4]));
    return frame;
}

inline QByteArray maskedTextFrame(const QByteArray &payload)
{
    return maskedFrame(0x1, payload);
}

class NonReadingClient
{
public:
    ~NonReadingClient()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    // A tiny receive buffer, so what the server sends soon waits in the server.
    bool connectTo(quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        const int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    }
    // Sends the upgrade request for path and reads the answer (RFC 6455: no frames before
    // it), bounded in time; true on 101.
    bool upgrade(const QByteArray &path = "/chat-server")
    {
        return send("GET " + path +
                    " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    "Sec-WebSocket-Version: 13\r\n\r\n") &&
               readHandshakeResponse().startsWith("HTTP/1.1 101");
    }
    QByteArray readHandshakeResponse()
    {
        const timeval timeout{10, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        QByteArray response;
        char byte = 0;
        while (!response.endsWith("\r\n\r\n") && response.size() < 4096 &&
               ::recv(m_fd, &byte, 1, 0) == 1)
            response.append(byte);
        return response;
    }
    // Waits, without reading, until the server drops the connection (an RST or FIN shows as
    // POLLERR/POLLHUP, which poll() reports even when no event is asked for).
    bool waitForHangUp(int timeoutMs)
    {
        pollfd entry{m_fd, 0, 0};
        return ::poll(&entry, 1, timeoutMs) == 1 && (entry.revents & (POLLERR | POLLHUP));
    }
    // Blocking; false once the server is gone.
    bool send(const QByteArray &bytes)
    {
        return ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) == bytes.size();
    }

private:
    int m_fd = -1;
};

} // namespace flack::test
