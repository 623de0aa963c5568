#include "admin-gui/ui/userspage.h"

#include "admin-gui/core/adminclient.h"
#include "admin-gui/core/tablefilterproxy.h"
#include "admin-gui/core/usersmodel.h"
#include "admin-gui/ui/kickdialog.h"
#include "admin-gui/ui/tablepage.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace flack::admin {

UsersPage::UsersPage(AdminClient *client, UsersModel *model, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(model),
      m_table(new TablePage(model, tr("name, node:n2, address:10.0., chats:lobby"), -1, this)),
      m_kickButton(new QPushButton(tr("&Kick…"), this)), m_result(new QLabel(this)),
      m_menu(new QMenu(this)), m_kickAction(new QAction(tr("&Kick…"), this)),
      m_copyIdAction(new QAction(tr("&Copy connection id"), this)),
      m_filterNodeAction(new QAction(tr("Show only this &node"), this))
{
    m_kickButton->setToolTip(tr("Disconnect the selected users (Delete)"));
    m_table->toolRow()->addWidget(m_kickButton);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    m_kickAction->setObjectName(QStringLiteral("kickAction"));
    m_kickAction->setShortcut(QKeySequence::Delete);
    m_kickAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_kickAction); // Delete works anywhere on the page
    m_menu->addAction(m_kickAction);
    m_menu->addSeparator();
    m_menu->addAction(m_copyIdAction);
    m_menu->addAction(m_filterNodeAction);
    connect(m_kickAction, &QAction::triggered, this, &UsersPage::kickSelected);
    connect(m_kickButton, &QPushButton::clicked, this, &UsersPage::kickSelected);
    connect(m_copyIdAction, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_table->selectedKeys().join(u'\n')); });
    connect(m_filterNodeAction, &QAction::triggered, this, [this] {
        const QModelIndex current = m_table->view()->currentIndex();
        if (current.isValid())
            m_table->filterEdit()->setText(
                QStringLiteral("node:") +
                current.siblingAtColumn(UsersModel::Node).data().toString());
    });

    QTableView *view = m_table->view();
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, &UsersPage::showContextMenu);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &UsersPage::updateActions);
    connect(m_client, &AdminClient::stateChanged, this, &UsersPage::updateActions);
    connect(m_client, &AdminClient::kickFinished, this, &UsersPage::onKickFinished);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_result);
    layout->addWidget(m_table, 1);
    updateActions();
}

void UsersPage::updateActions()
{
    const bool live = m_client->state() == AdminClient::State::Live;
    const bool selected = m_table->view()->selectionModel()->hasSelection();
    m_kickAction->setEnabled(live && selected);
    m_kickButton->setEnabled(live && selected);
    m_copyIdAction->setEnabled(selected);
    m_filterNodeAction->setEnabled(selected);
    m_kickButton->setToolTip(live ? tr("Disconnect the selected users (Delete)")
                                  : tr("Kicking needs a live connection"));
}

void UsersPage::showContextMenu(const QPoint &position)
{
    QTableView *view = m_table->view();
    // A right click on a row that isn't selected acts on that row alone, as file managers do;
    // the keyboard's menu key (position at the current row) keeps the selection.
    const QModelIndex index = view->indexAt(position);
    if (index.isValid() && !view->selectionModel()->isRowSelected(index.row(), QModelIndex()))
        view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect |
                                                  QItemSelectionModel::Rows);
    if (index.isValid())
        view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    updateActions();
    m_menu->popup(view->viewport()->mapToGlobal(position));
}

void UsersPage::kickSelected()
{
    if (!m_kickAction->isEnabled())
        return;
    QList<protocol::UserInfo> users;
    for (const QString &id : m_table->selectedKeys()) {
        const int row = m_model->rowOf(id);
        if (row >= 0)
            users.append(m_model->at(row));
    }
    if (users.isEmpty())
        return;
    auto *dialog = new KickDialog(users, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { sendKicks(dialog); });
    dialog->open();
}

void UsersPage::sendKicks(KickDialog *dialog)
{
    QStringList notSent;
    for (const protocol::UserInfo &user : dialog->users()) {
        if (m_client->kickUser(user.connectionId, dialog->reason()))
            m_pendingNames.insert(user.connectionId, user.userName);
        else
            notSent.append(user.userName);
    }
    m_resultLines.clear();
    m_batchFailed = false;
    if (!notSent.isEmpty()) {
        const QString text =
            tr("Not sent (no live connection): %1").arg(notSent.join(QStringLiteral(", ")));
        m_resultLines.append(text);
        m_batchFailed = true;
        showResult(text, true);
        emit message(text);
    } else {
        const qsizetype count = dialog->users().size();
        showResult(count == 1 ? tr("Kicking 1 user…") : tr("Kicking %1 users…").arg(count), false);
    }
}

void UsersPage::onKickFinished(const protocol::KickResult &result)
{
    const QString name = m_pendingNames.take(result.connectionId);
    const QString who = name.isEmpty() ? result.connectionId
                                       : QStringLiteral("%1 (%2)").arg(name, result.connectionId);
    const QString text =
        result.ok ? tr("Kicked %1.").arg(who) : tr("Could not kick %1: %2").arg(who, result.reason);
    // The lines of the last batch, newest last; a failure anywhere colours them all.
    m_resultLines.append(text);
    m_batchFailed = m_batchFailed || !result.ok;
    constexpr qsizetype kShown = 6;
    if (m_resultLines.size() > kShown)
        m_resultLines.remove(0, m_resultLines.size() - kShown);
    showResult(m_resultLines.join(u'\n'), m_batchFailed);
    emit message(text);
}

void UsersPage::showResult(const QString &text, bool failed)
{
    QPalette pal = m_result->palette();
    pal.setColor(QPalette::WindowText,
                 failed ? QColor(0xa3, 0x1d, 0x12) : QColor(0x1e, 0x6b, 0x34));
    m_result->setPalette(pal);
    m_result->setText(text);
    m_result->show();
}

} // namespace flack::admin
