#pragma once
// Chooses and installs the main thread's event dispatcher from the `event-loop` setting. It
// has to run in main() before the QCoreApplication is constructed, because the application
// object creates Qt's dispatcher unless one is installed already: so the setting is read here
// from the same sources ConfigLoader reads (command line, FLACK_* environment, INI file) with
// ConfigLoader::rawSetting, which builds no ServerConfig (its TLS members would start Qt's TLS
// backend, which wants the application object). Anything wrong with the settings is left to
// the ConfigLoader::load() that follows to report.

#include "server/app/serverconfig.h"

#include <QProcessEnvironment>

class QAbstractEventDispatcher;
#include <QStringList>

#include <optional>

namespace flack::server::app {

class EventDispatcherChoice
{
public:
    // "epoll" or "qt", any case, spaces around; nullopt with *problem set otherwise.
    static std::optional<ServerConfig::EventDispatcher> parse(const QString &value,
                                                              QString *problem);
    // The dispatcher the settings ask for; the default when they can't be read.
    static ServerConfig::EventDispatcher choose(const QStringList &arguments,
                                                const QProcessEnvironment &environment);
    // Installs it for the main thread (Qt's dispatcher needs nothing installed). Falls back to
    // Qt's if the epoll one can't get its descriptors. Before QCoreApplication only.
    static void install(ServerConfig::EventDispatcher kind);
    // A dispatcher of that kind for another thread (QThread::setEventDispatcher before it
    // starts); null for Qt's own, or when the epoll one can't get its descriptors.
    static QAbstractEventDispatcher *create(ServerConfig::EventDispatcher kind);
    // choose() and install() from main()'s arguments and the process environment.
    static void installFromStartup(int argc, char **argv);
};

} // namespace flack::server::app
