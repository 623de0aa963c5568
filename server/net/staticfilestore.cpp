#include "server/net/staticfilestore.h"

#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>

namespace flack::server::net {

namespace {

using Status = StaticFileStore::Lookup::Status;

StaticFileStore::Lookup withStatus(Status status)
{
    StaticFileStore::Lookup lookup;
    lookup.status = status;
    return lookup;
}

// A segment we refuse to resolve at all. Checked byte by byte on the decoded path, so no later
// normalisation (QDir::cleanPath, the OS) can turn it into a step outside the root.
bool isForbiddenSegment(QByteArrayView segment)
{
    if (segment.isEmpty() || segment.front() == '.')
        return true; // "//", ".", "..", ".git", ".env", ...
    for (char c : segment) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == '\\' || c == ':' || c == '%')
            return true;
    }
    return false;
}

// Splits "/a/b/" into the relative path "a/b/index.html" if every segment is acceptable.
bool toRelativePath(QByteArrayView decodedPath, QString *relative)
{
    if (decodedPath.isEmpty() || decodedPath.front() != '/' || !decodedPath.isValidUtf8())
        return false;
    QByteArray path = decodedPath.sliced(1).toByteArray();
    if (path.isEmpty() || path.endsWith('/'))
        path.append("index.html");
    qsizetype start = 0;
    while (start <= path.size()) {
        qsizetype slash = path.indexOf('/', start);
        if (slash < 0)
            slash = path.size();
        if (isForbiddenSegment(QByteArrayView(path).sliced(start, slash - start)))
            return false;
        start = slash + 1;
    }
    *relative = QString::fromUtf8(path);
    return true;
}

} // namespace

QByteArray mimeTypeForPath(QStringView path)
{
    const qsizetype dot = path.lastIndexOf(u'.');
    const qsizetype slash = path.lastIndexOf(u'/');
    if (dot < 0 || dot < slash)
        return QByteArrayLiteral("application/octet-stream");
    const QString suffix = path.sliced(dot + 1).toString().toLower();

    struct Entry
    {
        const char16_t *suffix;
        const char *type;
    };
    static constexpr Entry kTypes[] = {
        {u"html", "text/html; charset=utf-8"},
        {u"htm", "text/html; charset=utf-8"},
        {u"js", "text/javascript; charset=utf-8"},
        {u"mjs", "text/javascript; charset=utf-8"},
        {u"css", "text/css; charset=utf-8"},
        {u"json", "application/json"},
        {u"map", "application/json"},
        {u"webmanifest", "application/manifest+json"},
        {u"svg", "image/svg+xml"},
        {u"png", "image/png"},
        {u"jpg", "image/jpeg"},
        {u"jpeg", "image/jpeg"},
        {u"gif", "image/gif"},
        {u"webp", "image/webp"},
        {u"ico", "image/x-icon"},
        {u"woff", "font/woff"},
        {u"woff2", "font/woff2"},
        {u"txt", "text/plain; charset=utf-8"},
        {u"wasm", "application/wasm"},
    };
    for (const Entry &entry : kTypes) {
        if (suffix == QStringView(entry.suffix))
            return QByteArray(entry.type);
    }
    return QByteArrayLiteral("application/octet-stream");
}

StaticFileStore::StaticFileStore(QString root) : m_root(std::move(root))
{
    while (m_root.size() > 1 && m_root.endsWith(u'/'))
        m_root.chop(1);
    m_isResource = m_root.startsWith(u':');
    if (!m_isResource) {
        // Resolved once: lookups compare each file's canonical path against it.
        m_canonicalRoot = QFileInfo(m_root).canonicalFilePath();
    }
}

StaticFileStore::Lookup StaticFileStore::lookup(QByteArrayView decodedPath) const
{
    QString relative;
    if (!toRelativePath(decodedPath, &relative))
        return withStatus(Status::Forbidden);

    if (m_isResource) {
        QMutexLocker locker(&m_cacheMutex);
        const auto it = m_cache.constFind(relative);
        if (it != m_cache.constEnd())
            return *it;
    } else if (m_canonicalRoot.isEmpty()) {
        return withStatus(Status::NotFound);
    }

    const QString filePath = m_root + u'/' + relative;
    const QFileInfo info(filePath);
    // isFile() is false for directories, FIFOs, sockets and devices: reading a FIFO would block.
    if (!info.isFile())
        return withStatus(Status::NotFound);

    if (!m_isResource) {
        const QString canonical = info.canonicalFilePath();
        if (canonical.isEmpty())
            return withStatus(Status::NotFound);
        const QString prefix =
            m_canonicalRoot.endsWith(u'/') ? m_canonicalRoot : m_canonicalRoot + u'/';
        if (!canonical.startsWith(prefix))
            return withStatus(Status::Forbidden); // a symlink out of the root
        // A symlink inside the root may still point at a dot-file (".env", ".git/config").
        const QStringView inside = QStringView(canonical).sliced(prefix.size());
        if (inside.startsWith(u'.') || inside.contains(u"/."))
            return withStatus(Status::Forbidden);
    }

    if (info.size() > kMaxFileBytes)
        return withStatus(Status::Forbidden);

    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly))
        return withStatus(Status::NotFound);
    // Read with a bound: the file may have grown since stat().
    QByteArray body = file.read(kMaxFileBytes + 1);
    if (body.size() > kMaxFileBytes)
        return withStatus(Status::Forbidden);
    if (file.error() != QFileDevice::NoError)
        return withStatus(Status::NotFound);

    Lookup found;
    found.status = Status::Found;
    found.body = std::move(body);
    found.contentType = mimeTypeForPath(relative);

    if (m_isResource) {
        // Only Found entries are cached, so the cache is bounded by the resources compiled in
        // and a client probing random paths cannot grow it.
        QMutexLocker locker(&m_cacheMutex);
        m_cache.insert(relative, found);
    }
    return found;
}

} // namespace flack::server::net
