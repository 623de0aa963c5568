#pragma once
// The frames a connection holds back for a coalescing window, in order. Each one is the room's
// single framed copy (FrameCache), kept by reference rather than copied: in a storm of joins
// every member of a room holds the same frames, and appending each to a buffer of the member's
// own, which grew copy by copy, was most of the cost of a held delivery (callgrind of a connect
// storm, docs/benchmarks.md). They are copied once, into one piece, when they go.

#include <QByteArray>

#include <vector>

namespace flack::server::net {

class HeldFrames
{
public:
    void append(const QByteArray &frame);
    bool isEmpty() const { return m_frames.empty(); }
    qint64 bytes() const { return m_bytes; }
    // Every frame held, in order, as one piece (Qt's socket buffer takes a piece as one block,
    // so it goes with one write()); nothing is held afterwards, and no memory kept for it.
    QByteArray take();
    void clear();

private:
    std::vector<QByteArray> m_frames;
    qint64 m_bytes = 0;
};

} // namespace flack::server::net
