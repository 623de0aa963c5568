#pragma once
// Comparison of secrets (MACs) whose running time doesn't depend on where the inputs first
// differ, so a peer timing our answers learns nothing about the expected value. A pure
// function, used from any thread.

#include <QByteArrayView>

namespace flack::server::cluster {

// True when both hold the same bytes. Lengths are not secret: different lengths return at
// once.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace flack::server::cluster
