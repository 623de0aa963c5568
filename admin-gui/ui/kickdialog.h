#pragma once
// Asks for the reason of a kick and for confirmation: who will be disconnected (name,
// connection id, node), a reason of at most 1,024 UTF-8 bytes (empty: the server's default),
// and a Kick button that is the explicit confirmation. Opened window-modal with open(), so the
// main window keeps updating behind it. GUI thread.

#include "shared/adminrecord.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace flack::admin {

class KickDialog : public QDialog
{
    Q_OBJECT

public:
    KickDialog(const QList<protocol::UserInfo> &users, QWidget *parent = nullptr);

    QList<protocol::UserInfo> users() const { return m_users; }
    QString reason() const;

    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *kickButton() const { return m_kick; }

private:
    void updateLimit();

    QList<protocol::UserInfo> m_users;
    QLineEdit *m_reason;
    QLabel *m_limit;
    QPushButton *m_kick;
};

} // namespace flack::admin
