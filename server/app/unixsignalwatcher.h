#pragma once
// Turns SIGINT and SIGTERM (stop) and SIGHUP (reload) into Qt signals on the main thread (self-pipe: the handler only
// writes a byte; a QSocketNotifier reads it in the event loop, where real work is safe).

#include <QObject>

class QSocketNotifier;

namespace flack::server::app {

class UnixSignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignalWatcher(QObject *parent = nullptr);
    ~UnixSignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
    // SIGHUP: read what can be renewed without a restart (the TLS certificates) again.
    void reloadRequested();

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace flack::server::app
