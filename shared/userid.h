#pragma once
// User ids: 32 lowercase hex digits from a cryptographically secure source (the original's
// shape; the web client colours a user by the first six digits).

#include <QString>

namespace flack::protocol {

QString generateUserId();

// True for the server-generated shape; clients may still choose any non-empty id.
bool isGeneratedUserIdShape(QStringView id);

} // namespace flack::protocol
