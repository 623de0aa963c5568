#pragma once
// flack-admin's window: tabs Overview, Nodes, Chats and Users over one AdminClient, the menus
// (connect, disconnect, tabs by Ctrl+1..4, filter by Ctrl+F), a banner when the data is not
// live, and the connection state in the status bar. It owns the item models and feeds them
// from the client's ClusterState. GUI thread.

#include "admin-gui/core/adminclient.h"

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace flack::admin {

class ChatsModel;
class ConnectDialog;
class NodesModel;
class NodesPage;
class OverviewPage;
class TablePage;
class UsersModel;
class UsersPage;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(AdminClient *client, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the connect dialog (non-blocking), pre-filled with url and token when given.
    ConnectDialog *showConnectDialog(const QUrl &url = {}, const QString &token = {});

    // Renders each tab into DIR/admin-<tab>.png; returns the files written.
    QStringList saveTabScreenshots(const QString &directory);

    QTabWidget *tabs() const { return m_tabs; }
    OverviewPage *overviewPage() const { return m_overview; }
    NodesPage *nodesPage() const { return m_nodes; }
    TablePage *chatsPage() const { return m_chats; }
    UsersPage *usersPage() const { return m_users; }
    NodesModel *nodesModel() const { return m_nodesModel; }
    ChatsModel *chatsModel() const { return m_chatsModel; }
    UsersModel *usersModel() const { return m_usersModel; }
    QLabel *stateLabel() const { return m_stateLabel; }
    QLabel *banner() const { return m_banner; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void wireModels();
    void onStateChanged();
    void onRecordApplied();
    void focusFilter();

    AdminClient *m_client;
    NodesModel *m_nodesModel;
    ChatsModel *m_chatsModel;
    UsersModel *m_usersModel;
    QTabWidget *m_tabs;
    OverviewPage *m_overview;
    NodesPage *m_nodes;
    TablePage *m_chats;
    UsersPage *m_users;
    QLabel *m_banner;
    QLabel *m_stateLabel;
    QLabel *m_updatedLabel;
    QAction *m_disconnectAction = nullptr;
};

} // namespace flack::admin
