#pragma once
// The Users tab: the users table with kicking. Select one or more users, then the Kick button,
// the context menu or the Delete key opens the KickDialog (reason and confirmation); each
// result from the server (or the connection's loss) is shown above the table and in the
// status bar. GUI thread.

#include "shared/adminrecord.h"

#include <QHash>
#include <QWidget>

class QAction;
class QLabel;
class QMenu;
class QPushButton;

namespace flack::admin {

class AdminClient;
class KickDialog;
class TablePage;
class UsersModel;

class UsersPage : public QWidget
{
    Q_OBJECT

public:
    UsersPage(AdminClient *client, UsersModel *model, QWidget *parent = nullptr);

    TablePage *table() const { return m_table; }
    QPushButton *kickButton() const { return m_kickButton; }
    QMenu *contextMenu() const { return m_menu; }
    QAction *kickAction() const { return m_kickAction; }
    QLabel *resultLabel() const { return m_result; }

    // Opens the kick dialog for the selected users (nothing when none is selected).
    void kickSelected();

signals:
    // A line for the status bar.
    void message(const QString &text);

private:
    void showContextMenu(const QPoint &position);
    void sendKicks(KickDialog *dialog);
    void onKickFinished(const protocol::KickResult &result);
    void updateActions();
    void showResult(const QString &text, bool failed);

    AdminClient *m_client;
    UsersModel *m_model;
    TablePage *m_table;
    QPushButton *m_kickButton;
    QLabel *m_result;
    QMenu *m_menu;
    QAction *m_kickAction;
    QAction *m_copyIdAction;
    QAction *m_filterNodeAction;
    QHash<QString, QString> m_pendingNames; // connection id -> user name, for the result line
    QStringList m_resultLines;
    bool m_batchFailed = false;
};

} // namespace flack::admin
