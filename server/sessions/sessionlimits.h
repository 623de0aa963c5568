#pragma once
// What one client connection may make the server hold. Defaults match the command line's.

#include <QtGlobal>

namespace flack::server::sessions {

struct SessionLimits
{
    qsizetype maxNameBytes = 256; // user_name and chat_name, in UTF-8 bytes
    qsizetype maxChatsPerConnection = 1000;
    // Unsent data a reader may keep waiting over time (see OutputBacklog).
    qint64 maxQueuedBytes = 8 * 1024 * 1024;
    // Largest text message handled; longer ones (up to the websocket layer's bound) get
    // CHAT_LIMIT-001.
    qint64 maxMessageBytes = 65536;
    int maxMessagesPerSecond = 20; // 0: unlimited
    int messageBurst = 60;
    // Over the rate for this long without a pause: CHAT_LIMIT-005. Not a setting; tests
    // shorten it.
    int floodMs = 4000;
    // How long a reader over maxQueuedBytes has to show it takes data (see OutputBacklog):
    // long enough for a burst into a big room to drain, short enough to bound what a reader
    // that takes nothing holds. Not a setting; tests shorten it.
    int slowReaderGraceMs = 2000;
};

} // namespace flack::server::sessions
