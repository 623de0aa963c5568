#pragma once
// A token bucket: how many messages one connection may send. It holds up to `burst` tokens
// and refills at `perSecond`; each message takes one. A person typing never empties it; a
// flooder does, and then waits for refills. Pure arithmetic on a caller-given clock, so tests
// need no time to pass.

#include <QtGlobal>

namespace flack::server::sessions {

class MessageRateLimiter
{
public:
    // perSecond 0 means unlimited (every take() succeeds).
    MessageRateLimiter(int perSecond, int burst, qint64 nowMs);

    bool unlimited() const { return m_perSecond == 0; }
    // Takes one token if there is one.
    bool take(qint64 nowMs);
    // Milliseconds until a token is available (0: one is available now).
    qint64 msUntilToken(qint64 nowMs);

    // What the bucket holds, in thousandths of a token, refilled up to nowMs; and setting it
    // (clamped to [0, capacity]), so a bucket can carry on where another left off.
    qint64 tokensMilli(qint64 nowMs);
    void setTokensMilli(qint64 tokensMilli, qint64 nowMs);
    qint64 capacityMilli() const { return m_capacityMilli; }

private:
    void refill(qint64 nowMs);

    int m_perSecond;
    // Tokens in thousandths, so integer refills lose nothing between calls.
    qint64 m_capacityMilli;
    qint64 m_tokensMilli;
    qint64 m_lastMs;
};

} // namespace flack::server::sessions
