#pragma once
// What one client connection may make the server hold. Defaults match the command line's.

#include <QtGlobal>

namespace flack::server::sessions {

struct SessionLimits
{
    qsizetype maxNameBytes = 256; // user_name and chat_name, in UTF-8 bytes
    qsizetype maxChatsPerConnection = 1000;
    qint64 maxQueuedBytes = 8 * 1024 * 1024; // unsent data before a non-reader is dropped
};

} // namespace flack::server::sessions
