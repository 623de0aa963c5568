#pragma once
// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe: the handler only
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

private:
    void onReadable();
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace flack::server::app
