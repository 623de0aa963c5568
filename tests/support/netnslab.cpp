#include "tests/support/netnslab.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace flack::test {

using namespace Qt::StringLiterals;

namespace {
constexpr int kCommandTimeoutMs = 10000;

bool processAlive(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}
} // namespace

NetnsLab::NetnsLab(int nodeCount)
    : m_nodeCount(nodeCount), m_pid(QCoreApplication::applicationPid())
{
}

NetnsLab::~NetnsLab()
{
    // A namespace is freed in the background once deleted: delete our links in the test's
    // namespace now, so none of them is left when the test ends.
    for (const QString &link : std::as_const(m_rootLinks))
        ip({u"link"_s, u"delete"_s, link});
    // Nodes first, then the switch with the bridge; their veths go with them.
    for (auto it = m_created.crbegin(); it != m_created.crend(); ++it)
        removeNamespace(*it);
}

QString NetnsLab::prefix() const
{
    return u"flacklab-%1-"_s.arg(m_pid);
}

QString NetnsLab::nodeNamespace(int index) const
{
    return prefix() + u'n' + QString::number(index);
}

QString NetnsLab::switchNamespace() const
{
    return prefix() + QStringLiteral("sw");
}

QString NetnsLab::clusterAddress(int index) const
{
    return QStringLiteral("10.213.0.%1").arg(index);
}

QString NetnsLab::clientAddress(int index) const
{
    return QStringLiteral("10.213.%1.%2").arg(m_clientOctet).arg(4 * (index - 1) + 2);
}

QStringList NetnsLab::launcher(int index) const
{
    return {m_ip, QStringLiteral("netns"), QStringLiteral("exec"), nodeNamespace(index)};
}

bool NetnsLab::ip(const QStringList &arguments, QByteArray *output)
{
    const QString command = QStringLiteral("ip ") + arguments.join(u' ');
    m_log.append(command);
    QProcess process;
    process.start(m_ip, arguments);
    if (!process.waitForStarted(kCommandTimeoutMs)) {
        m_error = QStringLiteral("`%1` did not start: %2").arg(command, process.errorString());
        return false;
    }
    if (!process.waitForFinished(kCommandTimeoutMs)) {
        process.kill();
        process.waitForFinished(kCommandTimeoutMs);
        m_error =
            QStringLiteral("`%1` did not finish within %2 ms").arg(command).arg(kCommandTimeoutMs);
        return false;
    }
    const QByteArray out = process.readAllStandardOutput();
    if (output)
        *output = out;
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = QStringLiteral("`%1` failed (exit code %2): %3")
                      .arg(command)
                      .arg(process.exitCode())
                      .arg(QString::fromLocal8Bit(process.readAllStandardError() + out).trimmed());
        if (::geteuid() != 0)
            m_error += QStringLiteral(" (the test runs as uid %1; network namespaces need root, "
                                      "or CAP_NET_ADMIN and CAP_SYS_ADMIN)")
                           .arg(::geteuid());
        return false;
    }
    return true;
}

void NetnsLab::removeNamespace(const QString &name)
{
    // Whatever still runs in there keeps the namespace, its veths and addresses alive.
    QByteArray pids;
    if (ip({QStringLiteral("netns"), QStringLiteral("pids"), name}, &pids)) {
        for (const QByteArray &line : pids.split('\n')) {
            bool ok = false;
            const qint64 pid = line.trimmed().toLongLong(&ok);
            if (ok && pid > 0)
                ::kill(pid_t(pid), SIGKILL);
        }
    }
    ip({QStringLiteral("netns"), QStringLiteral("delete"), name});
}

void NetnsLab::removeLeftovers()
{
    QByteArray list;
    if (!ip({QStringLiteral("netns"), QStringLiteral("list")}, &list))
        return;
    static const QRegularExpression ours(QStringLiteral("^flacklab-(\\d+)-\\S+"));
    for (const QByteArray &line : list.split('\n')) {
        const QRegularExpressionMatch match = ours.match(QString::fromUtf8(line));
        if (!match.hasMatch())
            continue;
        const qint64 pid = match.captured(1).toLongLong();
        // Another run still going owns its lab; one with our pid is from a run that is gone.
        if (pid == m_pid || !processAlive(pid))
            removeNamespace(match.captured(0));
    }
}

int NetnsLab::freeClientOctet()
{
    QByteArray addresses;
    if (!ip({QStringLiteral("-4"), QStringLiteral("-o"), QStringLiteral("addr"),
             QStringLiteral("show")},
            &addresses))
        return 0;
    QSet<int> used;
    static const QRegularExpression pattern(QStringLiteral("\\b10\\.213\\.(\\d+)\\."));
    auto matches = pattern.globalMatch(QString::fromUtf8(addresses));
    while (matches.hasNext())
        used.insert(matches.next().captured(1).toInt());
    // Start from the pid, so that labs built at the same moment pick different subnets.
    for (int i = 0; i < 254; ++i) {
        const int octet = 1 + int((m_pid + i) % 254);
        if (!used.contains(octet))
            return octet;
    }
    m_error = QStringLiteral("no free 10.213.X.0/24 subnet in this namespace: %1")
                  .arg(QString::fromUtf8(addresses));
    return 0;
}

bool NetnsLab::setUp()
{
    if (m_nodeCount < 1 || m_nodeCount > 9) {
        m_error = QStringLiteral("a lab has 1 to 9 nodes, not %1").arg(m_nodeCount);
        return false;
    }
    // Root's PATH has the sbin folders, a sudo'ed or CI shell may not.
    m_ip = QStandardPaths::findExecutable(QStringLiteral("ip"));
    if (m_ip.isEmpty())
        m_ip = QStandardPaths::findExecutable(QStringLiteral("ip"),
                                              {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                               QStringLiteral("/usr/bin"), QStringLiteral("/bin")});
    if (m_ip.isEmpty()) {
        m_error = QStringLiteral("the `ip` command (Debian package iproute2) is not installed");
        return false;
    }
    removeLeftovers();
    m_clientOctet = freeClientOctet();
    if (m_clientOctet == 0)
        return false;

    const QString sw = switchNamespace();
    const auto inSwitch = [&](QStringList arguments) {
        return ip(QStringList{QStringLiteral("-n"), sw} + arguments);
    };
    if (!ip({QStringLiteral("netns"), QStringLiteral("add"), sw}))
        return false;
    m_created.append(sw);
    if (!inSwitch({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}) ||
        !inSwitch({u"link"_s, u"add"_s, u"br0"_s, u"type"_s, u"bridge"_s}) ||
        !inSwitch({u"link"_s, u"set"_s, u"br0"_s, u"up"_s}))
        return false;

    for (int i = 1; i <= m_nodeCount; ++i) {
        const QString ns = nodeNamespace(i);
        const QString n = QString::number(i);
        const auto inNode = [&](QStringList arguments) {
            return ip(QStringList{QStringLiteral("-n"), ns} + arguments);
        };
        if (!ip({u"netns"_s, u"add"_s, ns}))
            return false;
        m_created.append(ns);
        const QString port = u"port"_s + n;
        // The root namespace's end of the client link: unique there, and short (15 bytes).
        const QString clientEnd = QStringLiteral("flk%1c%2").arg(m_pid).arg(i);
        const QString rootSide =
            QStringLiteral("10.213.%1.%2/30").arg(m_clientOctet).arg(4 * (i - 1) + 1);
        if (!inNode({u"link"_s, u"set"_s, u"lo"_s, u"up"_s}))
            return false;
        // The cluster link: port<i> on the switch, cluster0 in the node.
        if (!inSwitch({u"link"_s, u"add"_s, port, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s,
                       u"cluster0"_s, u"netns"_s, ns}) ||
            !inSwitch({u"link"_s, u"set"_s, port, u"master"_s, u"br0"_s}) ||
            !inSwitch({u"link"_s, u"set"_s, port, u"up"_s}) ||
            !inNode({u"addr"_s, u"add"_s, clusterAddress(i) + u"/24"_s, u"dev"_s, u"cluster0"_s}) ||
            !inNode({u"link"_s, u"set"_s, u"cluster0"_s, u"up"_s}))
            return false;
        // The client link: clientEnd here, client0 in the node.
        if (!ip({u"link"_s, u"add"_s, clientEnd, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s,
                 u"client0"_s, u"netns"_s, ns}))
            return false;
        m_rootLinks.append(clientEnd);
        if (!ip({u"addr"_s, u"add"_s, rootSide, u"dev"_s, clientEnd}) ||
            !ip({u"link"_s, u"set"_s, clientEnd, u"up"_s}) ||
            !inNode({u"addr"_s, u"add"_s, clientAddress(i) + u"/30"_s, u"dev"_s, u"client0"_s}) ||
            !inNode({u"link"_s, u"set"_s, u"client0"_s, u"up"_s}))
            return false;
    }
    return true;
}

bool NetnsLab::cut(int index)
{
    return ip({u"-n"_s, switchNamespace(), u"link"_s, u"set"_s, u"port"_s + QString::number(index),
               u"down"_s});
}

bool NetnsLab::restore(int index)
{
    return ip({u"-n"_s, switchNamespace(), u"link"_s, u"set"_s, u"port"_s + QString::number(index),
               u"up"_s});
}

} // namespace flack::test
