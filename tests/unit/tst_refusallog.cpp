// RefusalLog: a flood of refused connections costs a bounded number of log lines per window.

#include "server/net/refusallog.h"

#include <QHostAddress>
#include <QTest>

using namespace flack::server::net;

namespace {
QStringList g_lines;
void collect(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    if (QByteArrayView(context.category) == "flack.admission")
        g_lines.append(message);
}
} // namespace

class TestRefusalLog : public QObject
{
    Q_OBJECT

private slots:
    void floodIsCapped()
    {
        g_lines.clear();
        const QtMessageHandler previous = qInstallMessageHandler(collect);
        RefusalLog log;
        for (int i = 0; i < RefusalLog::kBurst + 5; ++i)
            log.refused(QHostAddress(QStringLiteral("192.0.2.7")), QStringLiteral("testing"));
        log.evictedFor(QHostAddress(QStringLiteral("192.0.2.8")), QStringLiteral("at cap"));
        qInstallMessageHandler(previous);
        QCOMPARE(g_lines.size(), RefusalLog::kBurst);
        QCOMPARE(g_lines.first(), QStringLiteral("refused a connection from 192.0.2.7: testing"));
        QCOMPARE(log.suppressed(), 6);
    }
};

QTEST_GUILESS_MAIN(TestRefusalLog)
#include "tst_refusallog.moc"
