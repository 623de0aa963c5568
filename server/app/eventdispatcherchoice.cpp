#include "server/app/eventdispatcherchoice.h"

#include "server/app/configloader.h"
#include "server/eventloop/epolleventdispatcher.h"

#include <QCoreApplication>

#include <memory>

namespace flack::server::app {

std::optional<ServerConfig::EventDispatcher> EventDispatcherChoice::parse(const QString &value,
                                                                          QString *problem)
{
    const QString kind = value.trimmed().toLower();
    if (kind == u"qt")
        return ServerConfig::EventDispatcher::Qt;
#if defined(FLACK_HAVE_EPOLL_DISPATCHER)
    if (kind == u"epoll")
        return ServerConfig::EventDispatcher::Epoll;
    *problem = QStringLiteral("expected epoll or qt");
#else
    *problem = kind == u"epoll" ? QStringLiteral("epoll needs Linux; expected qt")
                                : QStringLiteral("expected qt");
#endif
    return std::nullopt;
}

ServerConfig::EventDispatcher EventDispatcherChoice::choose(const QStringList &arguments,
                                                            const QProcessEnvironment &environment)
{
    const std::optional<QString> value =
        ConfigLoader::rawSetting(arguments, environment, "event-loop");
    QString problem;
    const auto kind = value ? parse(*value, &problem) : std::nullopt;
    return kind.value_or(ServerConfig::kDefaultEventDispatcher);
}

void EventDispatcherChoice::install(ServerConfig::EventDispatcher kind)
{
    if (QAbstractEventDispatcher *dispatcher = create(kind))
        QCoreApplication::setEventDispatcher(dispatcher); // Qt owns it from here
}

QAbstractEventDispatcher *EventDispatcherChoice::create(ServerConfig::EventDispatcher kind)
{
#if defined(FLACK_HAVE_EPOLL_DISPATCHER)
    if (kind != ServerConfig::EventDispatcher::Epoll)
        return nullptr;
    auto dispatcher = std::make_unique<eventloop::EpollEventDispatcher>();
    return dispatcher->isValid() ? dispatcher.release() : nullptr;
#else
    Q_UNUSED(kind);
    return nullptr;
#endif
}

void EventDispatcherChoice::installFromStartup(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    install(choose(arguments, QProcessEnvironment::systemEnvironment()));
}

} // namespace flack::server::app
