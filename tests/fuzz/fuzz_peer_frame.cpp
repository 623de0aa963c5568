// The peer links' incremental frame reader: every byte a node receives on its cluster port
// goes through it before the peer has authenticated. The first two input bytes pick the body
// bound and the third the read size; the rest is the stream, appended in reads of at most
// wanted() bytes as PeerLink does. Beyond "no crash, no leak, no UB":
// - the buffer never passes one header + one body bound, and a reader that needs more bytes
//   always wants some (no stall);
// - the frames taken out, encoded again with encodePeerFrame(), are exactly the bytes consumed,
//   and writePeerFrameHeader() writes the same header;
// - an error is final and explained.

#include "fuzzcommon.h"
#include "server/cluster/peerframe.h"

using namespace flack::server::cluster;

namespace {

QByteArray control(quint16 maxBody, quint8 readSize)
{
    return QByteArray(1, char(maxBody & 0xFF)) + char(maxBody >> 8) + char(readSize);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const QByteArray hello = encodePeerFrame(PeerFrameType::Hello, QByteArray(40, 'h'));
    const QByteArray beat = encodePeerFrame(PeerFrameType::Heartbeat, {});
    const QByteArray message = encodePeerFrame(22, QByteArray("\xa1\x61"
                                                              "c\x61x",
                                                              5));
    flack::fuzz::writeSeedsIfAsked({
        {"handshake_and_heartbeats", control(1024, 7) + hello + beat + beat},
        {"cluster_messages", control(4096, 255) + message + message + beat},
        {"exact_bound", control(42, 1) + hello},
        {"partial_frame", control(1024, 3) + beat + message.first(7)},
        {"edge_too_large", control(10, 255) + hello},
        {"edge_short_body", control(1024, 255) + QByteArray("\x00\x00\x00\x01\x01", 5)},
        {"edge_wrong_version", control(1024, 255) + QByteArray("\x00\x00\x00\x02\x02\x04", 6)},
        {"edge_huge_length", control(65535, 255) + QByteArray("\xff\xff\xff\xff\x01\x01", 6)},
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 3)
        return 0;
    const qsizetype maxBody = qsizetype(data[0] | (data[1] << 8));
    const qsizetype readSize = 1 + data[2];
    const QByteArrayView stream = flack::fuzz::bytesOf(data + 3, size - 3);

    PeerFrameReader reader(maxBody);
    const qsizetype bound = kPeerFrameLengthBytes + reader.maxBodyBytes();
    FUZZ_CHECK(reader.maxBodyBytes() >= 2);
    QByteArray reencoded;
    qsizetype appended = 0;
    bool failed = false;
    while (!failed) {
        PeerFrame frame;
        QString error;
        const PeerFrameReader::Status status = reader.next(&frame, &error);
        if (status == PeerFrameReader::Status::Frame) {
            FUZZ_CHECK(frame.payload.size() + 2 <= reader.maxBodyBytes());
            const QByteArray encoded = encodePeerFrame(frame.type, frame.payload);
            char header[kPeerFrameOverheadBytes];
            writePeerFrameHeader(header, frame.type, frame.payload.size());
            FUZZ_CHECK(encoded.first(kPeerFrameOverheadBytes) ==
                       QByteArrayView(header, kPeerFrameOverheadBytes));
            reencoded += encoded;
            continue;
        }
        if (status == PeerFrameReader::Status::Error) {
            FUZZ_CHECK(!error.isEmpty() && reader.hasError() && reader.wanted() == 0);
            PeerFrame later;
            QString again;
            FUZZ_CHECK(reader.next(&later, &again) == PeerFrameReader::Status::Error);
            FUZZ_CHECK(again == error);
            failed = true;
            break;
        }
        // NeedMore: everything appended so far is either a taken-out frame or still buffered.
        FUZZ_CHECK(reencoded.size() + reader.bufferedBytes() == appended);
        FUZZ_CHECK(reader.bufferedBytes() <= bound);
        if (appended == stream.size())
            break;
        FUZZ_CHECK(reader.wanted() > 0);
        const qsizetype n = qMin(qMin(readSize, reader.wanted()), stream.size() - appended);
        reader.append(stream.sliced(appended, n));
        appended += n;
        FUZZ_CHECK(reader.bufferedBytes() <= bound);
    }
    FUZZ_CHECK(reencoded == stream.first(reencoded.size()));
    if (failed) {
        reader.append(QByteArrayView("more"));
        FUZZ_CHECK(reader.bufferedBytes() == 0);
    }
    return 0;
}
