#pragma once
// Every setting of flack-server, with its default. Filled by ConfigLoader from the command
// line, FLACK_* environment variables and an INI file, in that order of precedence.

#include <QHostAddress>
#include <QString>

namespace flack::server::app {

struct ServerConfig
{
    quint16 port = 8080;
    QHostAddress bindAddress = QHostAddress::Any;
    QString webRoot;             // empty: the web client compiled into the binary
    int idleTimeoutSeconds = 60; // 0 disables
    qint64 maxMessageBytes = 65536;
    qint64 maxConnections = 10000;
    qint64 maxNameBytes = 256;
    qint64 maxChatsPerConnection = 1000;
    qint64 maxRooms = 100000;
    qint64 maxQueuedBytes = 8 * 1024 * 1024;
    QString logLevel = QStringLiteral("info"); // debug, info, warning, error
};

} // namespace flack::server::app
