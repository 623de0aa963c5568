#pragma once
// Runs one flack-bench scenario: sets up the workers (one epoll loop per thread), drives them
// through connect, warm-up, measured traffic and drain phases (flood: a baseline and a flooded
// phase; soak: a long run with churn, the server's RSS sampled on the way), samples the server
// through /proc and the bench's own CPU use, and returns every figure as JSON. Lives on main().

#include "tools/bench/benchworker.h"
#include "tools/core/benchoptions.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <vector>

namespace flack::tools {

class BenchRunner
{
public:
    explicit BenchRunner(BenchOptions options);
    ~BenchRunner();

    // Runs the scenario; the report is in report(). False when it could not run at all.
    bool run();
    const QJsonObject &report() const { return m_report; }
    QString error() const { return m_error; }

private:
    bool prepare(int connections);
    bool connectAll(QJsonObject &connectReport);
    // flood: the flooder sends from the start of the measured window on.
    QJsonObject trafficStep(double rate, double warmup, double duration, bool flood = false);
    bool runFanout();
    bool runRamp();
    bool runConnections();
    bool runFlood();
    bool runSoak();
    void parallel(const std::function<void(BenchWorker &)> &job);

    BenchOptions m_options;
    std::unique_ptr<BenchTarget> m_target;
    std::vector<std::unique_ptr<BenchWorker>> m_workers;
    QJsonObject m_report;
    QString m_error;
};

} // namespace flack::tools
