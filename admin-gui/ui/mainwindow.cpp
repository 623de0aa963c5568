#include "admin-gui/ui/mainwindow.h"

#include "admin-gui/core/chatsmodel.h"
#include "admin-gui/core/displayformat.h"
#include "admin-gui/core/nodesmodel.h"
#include "admin-gui/core/usersmodel.h"
#include "admin-gui/ui/connectdialog.h"
#include "admin-gui/ui/nodespage.h"
#include "admin-gui/ui/overviewpage.h"
#include "admin-gui/ui/tablepage.h"
#include "admin-gui/ui/userspage.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flack::admin {

using State = AdminClient::State;

MainWindow::MainWindow(AdminClient *client, QWidget *parent)
    : QMainWindow(parent), m_client(client), m_nodesModel(new NodesModel(this)),
      m_chatsModel(new ChatsModel(this)), m_usersModel(new UsersModel(this)),
      m_tabs(new QTabWidget(this)), m_overview(new OverviewPage(client->cluster(), this)),
      m_nodes(new NodesPage(client->cluster(), m_nodesModel, this)),
      m_chats(new TablePage(m_chatsModel, tr("chat, owner:n2"), ChatsModel::Name, this)),
      m_users(new UsersPage(client, m_usersModel, this)), m_banner(new QLabel(this)),
      m_stateLabel(new QLabel(this)), m_updatedLabel(new QLabel(this))
{
    setWindowTitle(tr("Flack admin"));
    m_tabs->addTab(m_overview, tr("&Overview"));
    m_tabs->addTab(m_nodes, tr("&Nodes"));
    m_tabs->addTab(m_chats, tr("&Chats"));
    m_tabs->addTab(m_users, tr("&Users"));
    m_tabs->setDocumentMode(true);

    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(6);
    QPalette warn = m_banner->palette();
    warn.setColor(QPalette::Window, QColor(0xfd, 0xe2, 0xe1));
    warn.setColor(QPalette::WindowText, QColor(0x71, 0x1c, 0x16));
    m_banner->setPalette(warn);
    m_banner->hide();

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_stateLabel->setAccessibleName(tr("Connection state"));
    statusBar()->addPermanentWidget(m_updatedLabel);
    statusBar()->addPermanentWidget(m_stateLabel);
    connect(m_users, &UsersPage::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15000); });

    createMenus();
    wireModels();
    connect(m_client, &AdminClient::stateChanged, this, &MainWindow::onStateChanged);
    onStateChanged();

    // 1280×800 by default (what the layout is made for), less on a smaller screen; a size the
    // user chose, on whatever screen, comes back.
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        QSize size(1280, 800);
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            size = size.boundedTo(screen->availableSize());
        resize(size);
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *connectAction =
        file->addAction(tr("&Connect…"), this, [this] { showConnectDialog(m_client->url()); });
    connectAction->setShortcut(QKeySequence::Open);
    m_disconnectAction =
        file->addAction(tr("&Disconnect"), this, [this] { m_client->disconnectFromServer(); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *tab = view->addAction(m_tabs->tabText(i).remove(u'&'), this,
                                       [this, i] { m_tabs->setCurrentIndex(i); });
        tab->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    QAction *filter = view->addAction(tr("&Filter the table"), this, &MainWindow::focusFilter);
    filter->setShortcut(QKeySequence::Find);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About flack-admin"), this, [this] {
        QMessageBox::about(this, tr("About flack-admin"),
                           tr("<b>flack-admin</b> %1<br>Watches a Flack cluster through the admin "
                              "protocol 1.0 of any node and kicks users.")
                               .arg(QStringLiteral(FLACK_VERSION)));
    });
}

void MainWindow::wireModels()
{
    ClusterState *cluster = m_client->cluster();
    connect(cluster, &ClusterState::nodesChanged, this,
            [this](const QList<protocol::NodeInfo> &nodes, const QSet<QString> &unreachable) {
                m_nodesModel->setRows(nodes);
                m_nodesModel->setUnreachableNodes(unreachable);
                m_chatsModel->setUnreachableNodes(unreachable);
                m_usersModel->setUnreachableNodes(unreachable);
            });
    connect(cluster, &ClusterState::chatsChanged, m_chatsModel, &ChatsModel::applyChanges);
    connect(cluster, &ClusterState::usersChanged, m_usersModel, &UsersModel::applyChanges);
    connect(cluster, &ClusterState::recordApplied, this, &MainWindow::onRecordApplied);
    connect(cluster, &ClusterState::cleared, this, [this] {
        m_nodesModel->clearRows();
        m_chatsModel->clearRows();
        m_usersModel->clearRows();
        m_nodesModel->setUnreachableNodes({});
        m_chatsModel->setUnreachableNodes({});
        m_usersModel->setUnreachableNodes({});
        onRecordApplied();
    });
}

void MainWindow::onRecordApplied()
{
    m_overview->refresh();
    m_nodes->refresh();
    const ClusterState *cluster = m_client->cluster();
    m_updatedLabel->setText(cluster->hasData() ? tr("%1 · updated %2")
                                                     .arg(cluster->answeringNode(),
                                                          formatLocalTime(cluster->time()).mid(11))
                                               : QString());
}

void MainWindow::onStateChanged()
{
    const QString url = m_client->url().toString();
    const QString error = m_client->lastError();
    const ClusterState *cluster = m_client->cluster();
    const QString asOf =
        cluster->hasData()
            ? tr(" The tables show the cluster as of %1.").arg(formatLocalTime(cluster->time()))
            : QString();
    QString state;
    QString banner;
    switch (m_client->state()) {
    case State::Disconnected:
        state = tr("Not connected");
        break;
    case State::Connecting:
        state = tr("Connecting to %1…").arg(url);
        break;
    case State::Authenticating:
        state = tr("Signing in to %1…").arg(url);
        break;
    case State::Live:
        state = tr("Live: %1").arg(url);
        break;
    case State::WaitingToReconnect:
        state = tr("Reconnecting in %1 s").arg(m_client->reconnectDelayMs() / 1000.0, 0, 'f', 1);
        banner = tr("Connection to %1 lost: %2. Reconnecting by itself.").arg(url, error) + asOf;
        break;
    case State::Refused:
        state = tr("Refused");
        banner = tr("%1 refused the connection: %2. Check the token (File › Connect…).")
                     .arg(url, error) +
                 asOf;
        break;
    }
    m_stateLabel->setText(state);
    m_stateLabel->setToolTip(error);
    m_banner->setText(banner);
    m_banner->setVisible(!banner.isEmpty());
    m_disconnectAction->setEnabled(m_client->state() != State::Disconnected &&
                                   m_client->state() != State::Refused);
}

ConnectDialog *MainWindow::showConnectDialog(const QUrl &url, const QString &token)
{
    auto *dialog = new ConnectDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setInitial(url, token);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { m_client->connectToServer(dialog->url(), dialog->token()); });
    dialog->open();
    return dialog;
}

void MainWindow::focusFilter()
{
    QWidget *page = m_tabs->currentWidget();
    if (auto *edit = page->findChild<QLineEdit *>()) {
        edit->setFocus(Qt::ShortcutFocusReason);
        edit->selectAll();
    }
}

QStringList MainWindow::saveTabScreenshots(const QString &directory)
{
    QDir().mkpath(directory);
    const QStringList names{QStringLiteral("overview"), QStringLiteral("nodes"),
                            QStringLiteral("chats"), QStringLiteral("users")};
    const int current = m_tabs->currentIndex();
    QStringList written;
    for (int i = 0; i < m_tabs->count() && i < names.size(); ++i) {
        m_tabs->setCurrentIndex(i);
        // Lay the newly shown page out before rendering it.
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        const QString path = QDir(directory).filePath(QStringLiteral("admin-%1.png").arg(names[i]));
        if (grab().save(path))
            written.append(path);
    }
    m_tabs->setCurrentIndex(current);
    return written;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings().setValue(QStringLiteral("window/geometry"), saveGeometry());
    QMainWindow::closeEvent(event);
}

} // namespace flack::admin
