// flack-bench: the load generator that measures what a flack server delivers and how fast.
// See BenchRunner for the scenarios and BenchWorker for the event loop.

#include "tools/bench/benchrunner.h"
#include "tools/core/benchoptions.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QTextStream>

#include <csignal>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flack-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLACK_VERSION));
    std::signal(SIGPIPE, SIG_IGN);

    flack::tools::BenchOptions options;
    const auto parsed = options.parse(QCoreApplication::arguments());
    if (!parsed.ok) {
        QTextStream(stderr) << "flack-bench: " << parsed.error
                            << "\nRun flack-bench --help for usage.\n";
        return 1;
    }
    if (parsed.exitNow)
        return 0;

    flack::tools::BenchRunner runner(options);
    const bool ran = runner.run();
    if (!options.jsonFile.isEmpty()) {
        QJsonObject report = runner.report();
        report.insert(QStringLiteral("completed"), ran);
        if (!ran)
            report.insert(QStringLiteral("error"), runner.error());
        QFile file(options.jsonFile);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            file.write(QJsonDocument(report).toJson()) < 0) {
            QTextStream(stderr) << "flack-bench: cannot write " << options.jsonFile << "\n";
            return 3;
        }
    }
    if (!ran) {
        QTextStream(stderr) << "flack-bench: " << runner.error() << "\n";
        return 2;
    }
    return 0;
}
