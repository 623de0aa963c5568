#pragma once
// Encodes the records a client sends; used by flack-client, flack-bench and the tests.

#include <QByteArray>
#include <QStringView>

namespace flack::protocol {

QByteArray encodeClientHello(QStringView protocolVersion);
QByteArray encodeAuthenticate(QStringView userName, QStringView userId = {});
QByteArray encodeJoinChat(QStringView chatName);
QByteArray encodeClientChatMessage(QStringView chatName, QStringView message);
QByteArray encodeLeaveChat(QStringView chatName);
QByteArray encodePing();
QByteArray encodeClientGoodbye();

} // namespace flack::protocol
