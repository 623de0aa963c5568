// flack-server: parses the settings and starts the application; everything else lives in
// flack_server_core.

#include "server/app/configloader.h"
#include "server/app/eventdispatcherchoice.h"
#include "server/app/serverapplication.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    // Qt 6.4's glib dispatcher does linear work per socket-notifier change and failed
    // thousands of connections in a prototype; the plain Unix dispatcher holds them.
    qputenv("QT_NO_GLIB", "1");
    // Before the application object, which would create Qt's dispatcher otherwise.
    flack::server::app::EventDispatcherChoice::installFromStartup(argc, argv);
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flack-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLACK_VERSION));

    using flack::server::app::ConfigLoader;
    using flack::server::app::ConfigResult;
    const ConfigResult loaded =
        ConfigLoader::load(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (loaded.outcome == ConfigResult::Outcome::ShowText) {
        std::fputs(qPrintable(loaded.text), stdout);
        return 0;
    }
    if (loaded.outcome == ConfigResult::Outcome::Error) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.text));
        return 1;
    }

    flack::server::app::ServerApplication server(loaded.config);
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "flack-server: %s\n", qPrintable(error));
        return 1;
    }
    return QCoreApplication::exec();
}
