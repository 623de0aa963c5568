#include "tests/support/localcluster.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace flack::test {

LocalCluster::LocalCluster(int peerTimeoutMs, QStringList extraArguments)
    : m_peerTimeoutMs(peerTimeoutMs), m_extraArguments(std::move(extraArguments))
{
    QFile secret(secretPath());
    if (secret.open(QIODevice::WriteOnly))
        secret.write("integration-test-cluster-secret\n");
}

bool LocalCluster::startNode(int index, const QByteArray &secret)
{
    QString secretFile = secretPath();
    if (!secret.isEmpty()) {
        secretFile = m_dir.filePath(QStringLiteral("other-secret-%1").arg(index));
        QFile file(secretFile);
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(secret);
    }
    QStringList arguments = {
        QStringLiteral("--node-name"),           QStringLiteral("n%1").arg(index),
        QStringLiteral("--cluster-listen"),      QStringLiteral("127.0.0.1:0"),
        QStringLiteral("--cluster-secret-file"), secretFile,
        QStringLiteral("--peer-timeout-ms"),     QString::number(m_peerTimeoutMs)};
    if (index != 1 && !m_addresses.empty() && !m_addresses.front().isEmpty())
        arguments += {QStringLiteral("--peers"), m_addresses.front()};
    arguments += m_extraArguments;
    while (int(m_nodes.size()) < index) {
        m_nodes.push_back(nullptr);
        m_addresses.emplace_back();
    }
    auto process = std::make_unique<ServerProcess>(arguments);
    const bool started = process->start();
    static const QRegularExpression clusterPattern(QStringLiteral("clustering on (\\S+)"));
    const QRegularExpressionMatch match =
        clusterPattern.match(QString::fromUtf8(process->output()));
    m_addresses[size_t(index - 1)] = match.hasMatch() ? match.captured(1) : QString();
    m_nodes[size_t(index - 1)] = std::move(process);
    return started && match.hasMatch();
}

bool LocalCluster::waitForView(int index, const QStringList &nodes, int timeoutMs)
{
    QStringList sorted = nodes;
    sorted.sort();
    const QString expected = sorted.join(QStringLiteral(", "));
    static const QRegularExpression viewPattern(QStringLiteral("live nodes: ([^\\n]*)"));
    return QTest::qWaitFor(
        [&] {
            QString latest;
            auto matches = viewPattern.globalMatch(QString::fromUtf8(node(index).output()));
            while (matches.hasNext())
                latest = matches.next().captured(1).trimmed();
            return latest == expected;
        },
        timeoutMs);
}

bool LocalCluster::waitForMesh(const QList<int> &indexes, int timeoutMs)
{
    QStringList names;
    for (int index : indexes)
        names.append(QStringLiteral("n%1").arg(index));
    QDeadlineTimer deadline(timeoutMs);
    for (int index : indexes) {
        if (!waitForView(index, names, int(qMax<qint64>(1, deadline.remainingTime()))))
            return false;
    }
    return true;
}

void LocalCluster::kill(int index)
{
    QProcess &process = node(index).process();
    process.kill();
    process.waitForFinished(10000);
}

int LocalCluster::terminate(int index)
{
    return node(index).terminate();
}

} // namespace flack::test
