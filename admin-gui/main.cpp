// flack-admin: parses the command line, then runs the window over one AdminClient.

#include "admin-gui/core/adminclient.h"
#include "admin-gui/core/adminoptions.h"
#include "admin-gui/ui/mainwindow.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

using namespace flack::admin;

namespace {

void setNames()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Flack"));
    QCoreApplication::setApplicationName(QStringLiteral("flack-admin"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLACK_VERSION));
}

int usageError(const QString &error)
{
    std::fprintf(stderr, "flack-admin: %s\n\n%s", qPrintable(error),
                 qPrintable(AdminOptions::helpText()));
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    // Everything that can be answered without a window is answered before QApplication, which
    // needs a display: --help, --version, bad options, an unreadable token file.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    AdminOptions options;
    AdminOptions::ParseResult parsed = options.parse(arguments);
    if (parsed.outcome == AdminOptions::Outcome::ShowHelp ||
        parsed.outcome == AdminOptions::Outcome::ShowVersion) {
        QCoreApplication app(argc, argv);
        setNames();
        if (parsed.outcome == AdminOptions::Outcome::ShowVersion)
            std::printf("flack-admin %s\n", FLACK_VERSION);
        else
            std::fputs(qPrintable(AdminOptions::helpText()), stdout);
        return 0;
    }
    if (parsed.outcome == AdminOptions::Outcome::Error && !parsed.unknownOptions)
        return usageError(parsed.error);
    QString token;
    QString error;
    const QString environmentToken = qEnvironmentVariable("FLACK_ADMIN_TOKEN");
    if (parsed.outcome == AdminOptions::Outcome::Run &&
        !options.resolveToken(environmentToken, &token, &error)) {
        std::fprintf(stderr, "flack-admin: %s\n", qPrintable(error));
        return 1;
    }

    QApplication app(argc, argv);
    setNames();
    if (parsed.outcome == AdminOptions::Outcome::Error) {
        // Unknown options may have been Qt's own (-platform, ...), which QApplication has
        // taken out by now: parse what is left.
        options = {};
        parsed = options.parse(QCoreApplication::arguments());
        if (parsed.outcome != AdminOptions::Outcome::Run)
            return usageError(parsed.error);
        if (!options.resolveToken(environmentToken, &token, &error)) {
            std::fprintf(stderr, "flack-admin: %s\n", qPrintable(error));
            return 1;
        }
    }

    AdminClient client;
    MainWindow window(&client);
    window.show();
    if (options.url.isValid() && !token.isEmpty())
        client.connectToServer(options.url, token);
    else
        window.showConnectDialog(options.url, token);

    if (!options.screenshotDir.isEmpty()) {
        // Wait for live data, give the charts --screenshot-delay seconds of it, then save.
        auto *shoot = new QTimer(&window);
        shoot->setSingleShot(true);
        shoot->setInterval(options.screenshotDelaySeconds * 1000);
        QObject::connect(shoot, &QTimer::timeout, &window, [&window, &options] {
            const QStringList files = window.saveTabScreenshots(options.screenshotDir);
            for (const QString &file : files)
                std::printf("%s\n", qPrintable(file));
            std::fflush(stdout);
            QCoreApplication::exit(files.size() == window.tabs()->count() ? 0 : 2);
        });
        QObject::connect(&client, &AdminClient::stateChanged, shoot,
                         [shoot](AdminClient::State state) {
                             if (state == AdminClient::State::Live && !shoot->isActive())
                                 shoot->start();
                         });
    }
    return app.exec();
}
