#include "server/net/httprequestparser.h"

namespace flack::server::net {

namespace {

using Status = HttpParseResult::Status;

// RFC 9110 tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Only SP and HTAB are optional whitespace in HTTP; QByteArrayView::trimmed() would also eat
// \v and \f, which must instead be rejected as control characters.
QByteArrayView trimOws(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin);
}

bool listContainsToken(QByteArrayView list, QByteArrayView token)
{
    qsizetype pos = 0;
    while (pos <= list.size()) {
        qsizetype comma = list.indexOf(',', pos);
        if (comma < 0)
            comma = list.size();
        if (trimOws(list.sliced(pos, comma - pos)).compare(token, Qt::CaseInsensitive) == 0)
            return true;
        pos = comma + 1;
    }
    return false;
}

HttpParseResult failure(Status status, const char *reason)
{
    HttpParseResult result;
    result.status = status;
    result.error = QByteArray(reason);
    return result;
}

// Fills method/target/path/version; returns an error reason or nullptr.
const char *parseRequestLine(QByteArrayView line, HttpRequest *request)
{
    const qsizetype firstSpace = line.indexOf(' ');
    if (firstSpace < 0)
        return "malformed request line";
    const qsizetype secondSpace = line.indexOf(' ', firstSpace + 1);
    if (secondSpace < 0 || line.indexOf(' ', secondSpace + 1) >= 0)
        return "malformed request line";

    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, secondSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(secondSpace + 1);

    if (!isToken(method))
        return "invalid method";
    if (target.isEmpty() || target.front() != '/')
        return "request target must be an absolute path";
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        // Clients must percent-encode anything else; a fragment is never sent.
        if (u <= 0x20 || u >= 0x7f || c == '#')
            return "invalid character in request target";
    }
    if (version != QByteArrayView("HTTP/1.1") && version != QByteArrayView("HTTP/1.0"))
        return "unsupported HTTP version";

    const qsizetype query = target.indexOf('?');
    QByteArray path;
    if (!percentDecodePath(query < 0 ? target : target.first(query), &path))
        return "invalid percent-encoding in path";

    request->method = method.toByteArray();
    request->target = target.toByteArray();
    request->path = std::move(path);
    request->version = version.toByteArray();
    return nullptr;
}

const char *parseHeaderLine(QByteArrayView line, HttpRequest *request)
{
    if (line.front() == ' ' || line.front() == '\t')
        return "obsolete line folding";
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return "header line without colon";
    // A token check also rejects whitespace before the colon (RFC 9112 section 5.1).
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return "invalid header name";
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    for (char c : value) {
        if (c != '\t' && isControl(c))
            return "invalid character in header value";
    }
    request->headers.append({name.toByteArray().toLower(), value.toByteArray()});
    return nullptr;
}

// Framing rules that can only be judged on the whole head.
const char *checkHead(const HttpRequest &request)
{
    qsizetype hosts = 0;
    bool hasContentLength = false;
    bool hasTransferEncoding = false;
    QByteArrayView contentLength;
    for (const auto &[name, value] : request.headers) {
        if (name == "host") {
            ++hosts;
        } else if (name == "transfer-encoding") {
            hasTransferEncoding = true;
        } else if (name == "content-length") {
            if (value.isEmpty() || value.size() > 18)
                return "invalid Content-Length";
            for (char c : value) {
                if (c < '0' || c > '9')
                    return "invalid Content-Length";
            }
            if (hasContentLength && value.toULongLong() != contentLength.toULongLong())
                return "conflicting Content-Length";
            hasContentLength = true;
            contentLength = value;
        }
    }
    if (hosts > 1)
        return "more than one Host header";
    // Both at once is the classic request-smuggling setup (RFC 9112 section 6.3).
    if (hasContentLength && hasTransferEncoding)
        return "both Content-Length and Transfer-Encoding";
    if (request.method == "GET" || request.method == "HEAD") {
        if (hasTransferEncoding || (hasContentLength && contentLength.toULongLong() > 0))
            return "request body not allowed";
    }
    return nullptr;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowercaseName) const
{
    QByteArray joined;
    bool found = false;
    for (const auto &[name, value] : headers) {
        if (name != lowercaseName)
            continue;
        if (found)
            joined.append(", ");
        joined.append(value);
        found = true;
    }
    return joined;
}

bool HttpRequest::hasHeader(QByteArrayView lowercaseName) const
{
    for (const auto &header : headers) {
        if (header.first == lowercaseName)
            return true;
    }
    return false;
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return listContainsToken(header("upgrade"), "websocket") &&
           listContainsToken(header("connection"), "upgrade");
}

bool percentDecodePath(QByteArrayView encoded, QByteArray *decoded)
{
    QByteArray out;
    out.reserve(encoded.size());
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        char c = encoded[i];
        if (c == '%') {
            if (i + 2 >= encoded.size())
                return false;
            const int high = hexValue(encoded[i + 1]);
            const int low = hexValue(encoded[i + 2]);
            if (high < 0 || low < 0)
                return false;
            c = static_cast<char>(high * 16 + low);
            i += 2;
        }
        if (isControl(c))
            return false;
        out.append(c);
    }
    *decoded = std::move(out);
    return true;
}

HttpParseResult parseHttpRequest(QByteArrayView bytes, qsizetype maxHeaderBytes)
{
    // QWebSocketServer (Qt 6.4: MAX_HEADERLINE_LENGTH, MAX_HEADERLINES) drops an upgrade whose
    // lines or line count exceed its own limits without a word, so they are refused here first,
    // with an answer, and plain requests are held to the same limits.
    const auto lineTooLong = [](qsizetype length) { return length > kMaxHeaderLineBytes; };
    const qsizetype limit = qBound(qsizetype(0), maxHeaderBytes, bytes.size());
    const qsizetype terminator = bytes.first(limit).indexOf(QByteArrayView("\r\n\r\n"));
    if (terminator < 0 && bytes.size() > maxHeaderBytes)
        return failure(Status::TooLarge, "request header too large");

    // Without a terminator every byte seen so far is head; with one, the lines end at its
    // first CRLF (the second is the empty line).
    const QByteArrayView head = terminator < 0 ? bytes : bytes.first(terminator + 2);
    HttpRequest request;
    qsizetype pos = 0;
    bool firstLine = true;
    while (pos < head.size()) {
        const qsizetype lf = head.indexOf('\n', pos);
        if (lf < 0) {
            // A partial line: refuse what no later byte can make valid.
            const QByteArrayView partial = head.sliced(pos);
            if (lineTooLong(partial.endsWith('\r') ? partial.size() - 1 : partial.size()))
                return failure(Status::TooLarge, "header line too long");
            for (qsizetype i = 0; i < partial.size(); ++i) {
                const char c = partial[i];
                if (c == '\r' && i + 1 == partial.size())
                    break; // the CR of a CRLF still in flight
                if (c == '\r')
                    return failure(Status::Malformed, "bare CR");
                if (c != '\t' && isControl(c))
                    return failure(Status::Malformed, "control character in request");
            }
            break;
        }
        if (lf == pos || head[lf - 1] != '\r')
            return failure(Status::Malformed, "bare LF");
        const QByteArrayView line = head.sliced(pos, lf - 1 - pos);
        if (line.contains('\r'))
            return failure(Status::Malformed, "bare CR");
        if (line.isEmpty())
            return failure(Status::Malformed, "empty request line");
        if (lineTooLong(line.size()))
            return failure(Status::TooLarge, "header line too long");
        if (!firstLine && request.headers.size() >= kMaxHeaderLines)
            return failure(Status::TooLarge, "too many header lines");
        const char *error =
            firstLine ? parseRequestLine(line, &request) : parseHeaderLine(line, &request);
        if (error)
            return failure(Status::Malformed, error);
        firstLine = false;
        pos = lf + 1;
    }

    if (terminator < 0)
        return {};

    if (const char *error = checkHead(request))
        return failure(Status::Malformed, error);

    HttpParseResult result;
    result.status = Status::Complete;
    result.request = std::move(request);
    result.headerLength = terminator + 4;
    return result;
}

} // namespace flack::server::net
