#pragma once
// Judges a websocket upgrade request before it is handed to QWebSocketServer, which closes
// the TCP connection without a word on anything it doesn't accept (Qt 6.4,
// QWebSocketHandshakeRequest::readHandshake): a client then can't tell a typo from an outage.
// Everything it would refuse is refused here with an HTTP answer instead: 400 with the reason
// in the body, or 426 with "Sec-WebSocket-Version: 13" for a version other than 13
// (RFC 6455 section 4.4). Pure, so every rule is unit-testable.

#include "server/net/httpresponse.h"

#include <QByteArray>

namespace flack::server::net {

struct HttpRequest;

struct UpgradeCheck
{
    int status = 0;    // 0: the upgrade may go to QWebSocketServer
    QByteArray reason; // one line for the body when refused
    HttpHeaderList extraHeaders;

    bool ok() const { return status == 0; }
    // The complete answer for a refused upgrade.
    QByteArray response() const;
};

// For a request that HttpRequest::isWebSocketUpgrade() and whose path is a websocket route.
UpgradeCheck checkWebSocketUpgrade(const HttpRequest &request);

} // namespace flack::server::net
