#pragma once
// The web client's files as the one-port listener serves them: maps a request's decoded path
// to a file under a root (a directory from --web-root, or the Qt resource prefix ":/web" the
// bundled client is compiled into) and never to anything outside it. Owned by whoever wires
// the listener; lookup() is const and thread-safe, so listeners on several threads may share one.
//
// Path rules (checked on the decoded path before touching the file system):
// - must start with '/'; "/" and any path ending in '/' mean that directory's index.html;
// - Forbidden: a "." or ".." segment, an empty segment ("//"), a segment starting with '.'
//   (dot-files), a backslash, ':', '%' (a path decoded twice is a traversal attempt), control
//   characters, bytes that are not UTF-8;
// - for a directory root the file's canonical path (symlinks resolved) must stay inside the
//   canonical root and must not pass through a dot-file either; otherwise Forbidden;
// - only regular files are served: directories (without a trailing '/'), FIFOs, devices and
//   missing files are NotFound; files larger than kMaxFileBytes are Forbidden.
// Files of a resource root are cached after their first read (resources never change); a
// directory root is read on every lookup so edits show up.

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QMutex>
#include <QString>
#include <QStringView>

namespace flack::server::net {

// "text/html; charset=utf-8" for "x/index.html"; application/octet-stream when unknown.
QByteArray mimeTypeForPath(QStringView path);

class StaticFileStore
{
public:
    static constexpr qint64 kMaxFileBytes = 32 * 1024 * 1024;

    struct Lookup
    {
        enum class Status { Found, NotFound, Forbidden };
        Status status = Status::NotFound;
        QByteArray body;        // when Found
        QByteArray contentType; // when Found
    };

    // root: a directory path or a Qt resource prefix such as ":/web".
    explicit StaticFileStore(QString root);

    Lookup lookup(QByteArrayView decodedPath) const;

    QString root() const { return m_root; }
    bool isResourceRoot() const { return m_isResource; }

private:
    QString m_root;          // without a trailing '/'
    QString m_canonicalRoot; // directory roots: symlinks resolved; empty if it doesn't exist
    bool m_isResource = false;

    mutable QMutex m_cacheMutex;
    mutable QHash<QString, Lookup> m_cache; // resource roots only: relative path -> Found
};

} // namespace flack::server::net
