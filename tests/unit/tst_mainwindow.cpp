// The real flack-admin window on the offscreen platform against a fake /admin endpoint:
// connect through the connect dialog, see the cluster in every tab, keep the selection and
// scroll position through updates and a reconnect, kick a user through the context menu (and
// the Delete key) with a reason and a confirmation, see the result, and render every tab at
// 1280×800 and on a large screen.

#include "admin-gui/core/adminclient.h"
#include "admin-gui/core/tablefilterproxy.h"
#include "admin-gui/core/usersmodel.h"
#include "admin-gui/ui/connectdialog.h"
#include "admin-gui/ui/kickdialog.h"
#include "admin-gui/ui/mainwindow.h"
#include "admin-gui/ui/nodegraph.h"
#include "admin-gui/ui/nodespage.h"
#include "admin-gui/ui/overviewpage.h"
#include "admin-gui/ui/ratechart.h"
#include "admin-gui/ui/stattile.h"
#include "admin-gui/ui/tablepage.h"
#include "admin-gui/ui/userspage.h"
#include "tests/support/adminsamples.h"
#include "tests/support/fakeadminserver.h"

#include <QApplication>
#include <QCheckBox>
#include <QContextMenuEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace flack;
using namespace flack::admin;
using flack::testing::FakeAdminServer;
using State = AdminClient::State;

namespace {

// A bigger cluster than the samples, so the Users table scrolls.
protocol::ClusterSnapshot crowd()
{
    protocol::ClusterSnapshot snapshot = testing::sampleSnapshot();
    for (int i = 10; i < 210; ++i)
        snapshot.users.append(
            testing::sampleUser(QStringLiteral("n%1").arg(1 + i % 3), i,
                                QStringLiteral("user%1").arg(i, 3, 10, QChar(u'0'))));
    return snapshot;
}

int proxyRowOf(const QAbstractItemModel *model, const QString &key)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(KeyRole).toString() == key)
            return row;
    }
    return -1;
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void connectsThroughTheDialogAndShowsEveryTab();
    void updatesKeepSelectionAndScroll();
    void kicksThroughTheContextMenu();
    void kicksWithDeleteAndShowsFailure();
    void showsReconnectingAndRefused();
    void keyboardReachesTabsAndFilter();
    void rendersEveryTabAtCommonSizes();
    void remembersTheTokenOnlyWhenAsked();

private:
    void connectThroughDialog();
    QTableView *usersView() const { return m_window->usersPage()->table()->view(); }

    QTemporaryDir m_settingsDir;
    std::unique_ptr<FakeAdminServer> m_server;
    std::unique_ptr<AdminClient> m_client;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    // Never touch the user's own settings.
    QVERIFY(m_settingsDir.isValid());
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("FlackTest"));
    QCoreApplication::setApplicationName(QStringLiteral("flack-admin-test"));
}

void TestMainWindow::init()
{
    QSettings().clear();
    m_server = std::make_unique<FakeAdminServer>();
    m_server->setSnapshot(crowd());
    QVERIFY(m_server->listen());
    m_client = std::make_unique<AdminClient>();
    m_client->setReconnectDelays(50, 200);
    m_window = std::make_unique<MainWindow>(m_client.get());
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_client.reset();
    m_server.reset();
}

void TestMainWindow::connectThroughDialog()
{
    ConnectDialog *dialog = m_window->showConnectDialog();
    QVERIFY(dialog->isVisible());
    dialog->urlEdit()->clear();
    QTest::keyClicks(dialog->urlEdit(), m_server->url().toString());
    QTest::keyClicks(dialog->tokenEdit(), m_server->token());
    const auto buttons = dialog->findChildren<QPushButton *>();
    QPushButton *connectButton = nullptr;
    for (QPushButton *button : buttons) {
        if (button->text().remove(u'&') == u"Connect")
            connectButton = button;
    }
    QVERIFY(connectButton && connectButton->isEnabled());
    QTest::mouseClick(connectButton, Qt::LeftButton);
    QTRY_COMPARE(m_client->state(), State::Live);
    // Shortcuts go to the active window; the dialog was it until it closed.
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::connectsThroughTheDialogAndShowsEveryTab()
{
    QCOMPARE(m_window->stateLabel()->text(), QStringLiteral("Not connected"));
    connectThroughDialog();
    QVERIFY(m_window->stateLabel()->text().startsWith(QStringLiteral("Live: ws://127.0.0.1:")));
    QVERIFY(!m_window->banner()->isVisible());
    QCOMPARE(m_server->hellos().size(), 1);

    OverviewPage *overview = m_window->overviewPage();
    QCOMPARE(overview->tile(QStringLiteral("Nodes"))->value(), QStringLiteral("3 / 3"));
    QCOMPARE(overview->tile(QStringLiteral("Links"))->value(), QStringLiteral("3 / 3"));
    QCOMPARE(overview->tile(QStringLiteral("Users"))->value(), QStringLiteral("206"));
    QCOMPARE(overview->tile(QStringLiteral("Chats"))->value(), QStringLiteral("3"));
    QCOMPARE(overview->tile(QStringLiteral("Messages in/s"))->value(), QStringLiteral("30.0"));
    QCOMPARE(overview->tile(QStringLiteral("Answered by"))->value(), QStringLiteral("n1"));
    QCOMPARE(overview->messagesChart()->points().size(), 1);

    QCOMPARE(m_window->nodesPage()->table()->view()->model()->rowCount(), 3);
    QCOMPARE(m_window->nodesPage()->graph()->nodeCentres().size(), 3);
    QCOMPARE(m_window->chatsPage()->view()->model()->rowCount(), 3);
    QCOMPARE(usersView()->model()->rowCount(), 206);

    // An update reaches every tab.
    protocol::ClusterUpdate update = m_server->emptyUpdate();
    update.time = QStringLiteral("2026-12-01T21:00:01Z");
    update.nodes[2].status = protocol::NodeStatus::Unreachable;
    update.unreachable = {QStringLiteral("n3")};
    update.chatsRemoved = {QStringLiteral("dev")};
    m_server->sendUpdate(update);
    QTRY_COMPARE(overview->tile(QStringLiteral("Nodes"))->value(), QStringLiteral("2 / 3"));
    QCOMPARE(m_window->chatsPage()->view()->model()->rowCount(), 2);
    QCOMPARE(overview->messagesChart()->points().size(), 2);
    const QModelIndex fay = usersView()->model()->index(
        proxyRowOf(usersView()->model(), QStringLiteral("n3/k3x9a1/1")), 0);
    QVERIFY(fay.data(StaleRole).toBool());
}

void TestMainWindow::updatesKeepSelectionAndScroll()
{
    connectThroughDialog();
    m_window->tabs()->setCurrentWidget(m_window->usersPage());
    QTableView *view = usersView();
    QTRY_VERIFY(view->isVisible() && view->viewport()->height() > 200);
    QAbstractItemModel *model = view->model();
    // Select a user far down, scrolled to, and remember where the view is.
    const QString key = QStringLiteral("n2/k3x9a1/151");
    const QModelIndex index = model->index(proxyRowOf(model, key), 0);
    view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                       QItemSelectionModel::Rows);
    const int scroll = view->verticalScrollBar()->value();
    QVERIFY(scroll > 0);
    const int visualRowBefore = view->rowAt(view->visualRect(index).center().y());

    // Rows below it change, some go, some come (appended; sorted by name they land below).
    protocol::ClusterUpdate update = m_server->emptyUpdate();
    update.time = QStringLiteral("2026-12-01T21:00:01Z");
    for (int i = 180; i < 200; ++i)
        update.usersRemoved.append(QStringLiteral("n%1/k3x9a1/%2").arg(1 + i % 3).arg(i));
    protocol::UserInfo changed = m_server->snapshot().users.last();
    changed.messagesSent = 777;
    update.usersChanged = {changed,
                           testing::sampleUser(QStringLiteral("n1"), 300, QStringLiteral("zed"))};
    protocol::UserInfo selected = *m_client->cluster()->user(key);
    selected.messagesSent = 12345;
    update.usersChanged.append(selected);
    m_server->sendUpdate(update);
    QTRY_COMPARE(model->rowCount(), 206 - 20 + 1);

    const QModelIndexList rows = view->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].data(KeyRole).toString(), key);
    QCOMPARE(rows[0].siblingAtColumn(UsersModel::MessagesSent).data().toString(),
             QLocale().toString(12345));
    QCOMPARE(view->currentIndex().data(KeyRole).toString(), key);
    QCOMPARE(view->verticalScrollBar()->value(), scroll);
    QCOMPARE(view->rowAt(view->visualRect(rows[0]).center().y()), visualRowBefore);

    // A reconnect brings a snapshot: the selection and the scroll stay too.
    m_server->dropClients(true);
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QTRY_COMPARE(m_client->state(), State::Live);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(view->selectionModel()->selectedRows()[0].data(KeyRole).toString(), key);
    QCOMPARE(view->verticalScrollBar()->value(), scroll);
}

void TestMainWindow::kicksThroughTheContextMenu()
{
    connectThroughDialog();
    m_window->tabs()->setCurrentWidget(m_window->usersPage());
    QTableView *view = usersView();
    QAbstractItemModel *model = view->model();
    const QString bob = QStringLiteral("n1/k3x9a1/2");
    QTRY_VERIFY(proxyRowOf(model, bob) >= 0);
    const QModelIndex index = model->index(proxyRowOf(model, bob), UsersModel::UserName);
    QCOMPARE(index.data().toString(), QStringLiteral("Bob"));
    view->scrollTo(index);

    // Right-click Bob's row (not selected yet: the click selects it).
    const QPoint at = view->visualRect(index).center();
    QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
    QApplication::sendEvent(view->viewport(), &event);
    QMenu *menu = m_window->usersPage()->contextMenu();
    QTRY_VERIFY(menu->isVisible());
    QCOMPARE(m_window->usersPage()->table()->selectedKeys(), QStringList{bob});
    QAction *kick = m_window->usersPage()->kickAction();
    QVERIFY(kick->isEnabled());
    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(kick).center());

    KickDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<KickDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->users().size(), 1);
    QCOMPARE(dialog->users()[0].userName, QStringLiteral("Bob"));
    QTest::keyClicks(dialog->reasonEdit(), QStringLiteral("spamming"));
    QTest::mouseClick(dialog->kickButton(), Qt::LeftButton);

    QTRY_COMPARE(m_server->kicks().size(), 1);
    QCOMPARE(m_server->kicks()[0], (protocol::KickUser{bob, QStringLiteral("spamming")}));
    QLabel *result = m_window->usersPage()->resultLabel();
    QTRY_COMPARE(result->text(), QStringLiteral("Kicked Bob (%1).").arg(bob));
    QVERIFY(result->isVisible());
    QTRY_COMPARE(proxyRowOf(model, bob), -1); // the next round removed him
    QCOMPARE(m_window->usersPage()->table()->countLabel()->text(), QStringLiteral("205 rows"));
    QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("Kicked Bob")));
}

void TestMainWindow::kicksWithDeleteAndShowsFailure()
{
    m_server->setKickAnswer(false, QStringLiteral("node n2 did not answer"));
    connectThroughDialog();
    m_window->tabs()->setCurrentWidget(m_window->usersPage());
    QTableView *view = usersView();
    QAbstractItemModel *model = view->model();
    // Two users, chosen with the keyboard: current on Dee, Ctrl+Space adds Eve.
    const QModelIndex dee = model->index(proxyRowOf(model, QStringLiteral("n2/k3x9a1/1")), 0);
    const QModelIndex eve = model->index(proxyRowOf(model, QStringLiteral("n2/k3x9a1/2")), 0);
    view->setFocus();
    view->selectionModel()->setCurrentIndex(dee, QItemSelectionModel::ClearAndSelect |
                                                     QItemSelectionModel::Rows);
    view->selectionModel()->select(eve, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QTest::keyClick(view, Qt::Key_Delete);
    KickDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<KickDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->users().size(), 2);
    // Too long a reason (in UTF-8 bytes) can't be sent.
    dialog->reasonEdit()->setText(QString(600, QChar(0xE9)));
    QVERIFY(!dialog->kickButton()->isEnabled());
    dialog->reasonEdit()->clear();
    QVERIFY(dialog->kickButton()->isEnabled());
    QTest::keyClick(dialog->reasonEdit(), Qt::Key_Return); // Kick is the default button
    QTRY_COMPARE(m_server->kicks().size(), 2);
    QCOMPARE(m_server->kicks()[0].reason, QString());
    QLabel *result = m_window->usersPage()->resultLabel();
    QTRY_VERIFY(result->text().count(QStringLiteral("node n2 did not answer")) == 2);
    QVERIFY(result->text().contains(QStringLiteral("Could not kick Dee")));
    QCOMPARE(model->rowCount(), 206);

    // Cancel sends nothing. (Offscreen has no window manager to give the activation back
    // when the dialog closes.)
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Delete);
    QTRY_VERIFY((dialog = m_window->findChild<KickDialog *>()) && dialog->isVisible());
    dialog->reject();
    QTest::qWait(100);
    QCOMPARE(m_server->kicks().size(), 2);
}

void TestMainWindow::showsReconnectingAndRefused()
{
    connectThroughDialog();
    m_server->close();
    QTRY_COMPARE(m_client->state(), State::WaitingToReconnect);
    QTRY_VERIFY(m_window->banner()->isVisible());
    QVERIFY2(m_window->banner()->text().contains(QStringLiteral("Reconnecting by itself")),
             qPrintable(m_window->banner()->text()));
    QVERIFY(m_window->banner()->text().contains(QStringLiteral("as of")));
    QVERIFY(m_window->stateLabel()->text().startsWith(QStringLiteral("Reconnecting in")));
    // Kicking needs a live connection.
    m_window->tabs()->setCurrentWidget(m_window->usersPage());
    usersView()->selectRow(0);
    QVERIFY(!m_window->usersPage()->kickButton()->isEnabled());
    // Data is still shown.
    QCOMPARE(usersView()->model()->rowCount(), 206);

    m_server->setToken(QStringLiteral("another-token-0123456"));
    QVERIFY(m_server->listen(quint16(m_client->url().port())));
    QTRY_COMPARE(m_client->state(), State::Refused);
    QVERIFY(m_window->banner()->isVisible());
    QVERIFY2(m_window->banner()->text().contains(QStringLiteral("ADMIN-001")),
             qPrintable(m_window->banner()->text()));
    QCOMPARE(m_window->stateLabel()->text(), QStringLiteral("Refused"));
}

void TestMainWindow::keyboardReachesTabsAndFilter()
{
    connectThroughDialog();
    for (int i = 0; i < 4; ++i) {
        QTest::keyClick(m_window.get(), Qt::Key(Qt::Key_1 + i), Qt::ControlModifier);
        QCOMPARE(m_window->tabs()->currentIndex(), i);
    }
    // Ctrl+F on the Users tab puts the cursor in its filter; typing narrows the table.
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QLineEdit *filter = m_window->usersPage()->table()->filterEdit();
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClicks(filter, QStringLiteral("node:n3 fay"));
    QCOMPARE(usersView()->model()->rowCount(), 1);
    QCOMPARE(m_window->usersPage()->table()->countLabel()->text(), QStringLiteral("1 of 206 rows"));
    // Tab moves on to the table and then its buttons.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QWidget *next = QApplication::focusWidget();
    QVERIFY(next == usersView() || next == m_window->usersPage()->kickButton());
}

void TestMainWindow::rendersEveryTabAtCommonSizes()
{
    connectThroughDialog();
    QTemporaryDir dir;
    for (const QSize size : {QSize(1280, 800), QSize(2560, 1440)}) {
        m_window->resize(size);
        const QStringList files = m_window->saveTabScreenshots(dir.path());
        QCOMPARE(files.size(), 4);
        for (const QString &file : files) {
            const QImage image(file);
            QCOMPARE(image.size(), size);
        }
    }
    // The layout fits 1280×800: nothing asks for more.
    QVERIFY(m_window->minimumSizeHint().width() <= 1280);
    QVERIFY(m_window->minimumSizeHint().height() <= 800);
}

void TestMainWindow::remembersTheTokenOnlyWhenAsked()
{
    {
        ConnectDialog *dialog = m_window->showConnectDialog();
        dialog->urlEdit()->setText(QStringLiteral("ws://n1:8080"));
        dialog->tokenEdit()->setText(QStringLiteral("the-secret-token-0"));
        QVERIFY(!dialog->rememberToken()->isChecked());
        dialog->accept();
    }
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("connection/url")).toString(),
             QStringLiteral("ws://n1:8080/admin"));
    QVERIFY(!settings.contains(QStringLiteral("connection/token")));
    {
        ConnectDialog dialog;
        QCOMPARE(dialog.urlEdit()->text(), QStringLiteral("ws://n1:8080/admin"));
        QVERIFY(dialog.tokenEdit()->text().isEmpty());
        dialog.tokenEdit()->setText(QStringLiteral("the-secret-token-0"));
        dialog.rememberToken()->setChecked(true);
        dialog.accept();
    }
    {
        ConnectDialog dialog;
        QCOMPARE(dialog.tokenEdit()->text(), QStringLiteral("the-secret-token-0"));
        QVERIFY(dialog.rememberToken()->isChecked());
        dialog.rememberToken()->setChecked(false);
        dialog.accept();
    }
    QVERIFY(!QSettings().contains(QStringLiteral("connection/token")));
    m_client->disconnectFromServer();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
