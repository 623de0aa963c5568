#include "admin-gui/ui/connectdialog.h"

#include "admin-gui/core/adminoptions.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace flack::admin {

namespace {

const QString kUrlKey = QStringLiteral("connection/url");
const QString kTokenKey = QStringLiteral("connection/token");
const QString kRememberKey = QStringLiteral("connection/rememberToken");

} // namespace

ConnectDialog::ConnectDialog(QWidget *parent)
    : QDialog(parent), m_url(new QLineEdit(this)), m_token(new QLineEdit(this)),
      m_remember(new QCheckBox(tr("R&emember the token"), this)), m_problem(new QLabel(this)),
      m_connect(new QPushButton(tr("&Connect"), this))
{
    setWindowTitle(tr("Connect to a Flack cluster"));
    m_url->setPlaceholderText(QStringLiteral("ws://localhost:8080/admin"));
    m_url->setAccessibleName(tr("Admin URL"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setAccessibleName(tr("Admin token"));
    m_remember->setToolTip(
        tr("Stores the token unencrypted in the settings file (%1).").arg(QSettings().fileName()));
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    m_problem->setWordWrap(true);

    auto *fromFile = new QPushButton(tr("From &file…"), this);
    fromFile->setToolTip(tr("Read the token from a file, as --token-file does"));
    connect(fromFile, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Admin token file"));
        if (path.isEmpty())
            return;
        QString error;
        const QString token = AdminOptions::readTokenFile(path, &error);
        if (token.isEmpty())
            m_problem->setText(error);
        else
            m_token->setText(token);
    });
    auto *showToken = new QCheckBox(tr("&Show"), this);
    connect(showToken, &QCheckBox::toggled, this, [this](bool show) {
        m_token->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    });
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(showToken);
    tokenRow->addWidget(fromFile);

    auto *form = new QFormLayout;
    form->addRow(tr("Admin &URL:"), m_url);
    form->addRow(tr("Admin &token:"), tokenRow);
    form->addRow(QString(), m_remember);
    form->addRow(QString(), m_problem);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_connect, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_connect->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 70);

    QSettings settings;
    m_url->setText(settings.value(kUrlKey, QStringLiteral("ws://localhost:8080/admin")).toString());
    m_remember->setChecked(settings.value(kRememberKey, false).toBool());
    if (m_remember->isChecked())
        m_token->setText(settings.value(kTokenKey).toString());
    connect(m_url, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    connect(m_token, &QLineEdit::textChanged, this, &ConnectDialog::validate);
    validate();
    (m_url->text().isEmpty() ? m_url : m_token)->setFocus();
}

void ConnectDialog::setInitial(const QUrl &url, const QString &token)
{
    if (!url.isEmpty())
        m_url->setText(url.toString());
    if (!token.isEmpty())
        m_token->setText(token);
    if (!m_url->text().isEmpty())
        m_token->setFocus();
}

QUrl ConnectDialog::url() const
{
    return AdminOptions::adminUrl(m_url->text());
}

QString ConnectDialog::token() const
{
    return m_token->text();
}

void ConnectDialog::validate()
{
    QString error;
    const bool urlOk = AdminOptions::adminUrl(m_url->text(), &error).isValid();
    if (!urlOk)
        m_problem->setText(error);
    else if (m_token->text().isEmpty())
        m_problem->setText(tr("The token is the one given to the nodes with --admin-token-file "
                              "or FLACK_ADMIN_TOKEN."));
    else
        m_problem->clear();
    m_connect->setEnabled(urlOk && !m_token->text().isEmpty());
}

void ConnectDialog::accept()
{
    if (!m_connect->isEnabled())
        return;
    QSettings settings;
    settings.setValue(kUrlKey, url().toString());
    settings.setValue(kRememberKey, m_remember->isChecked());
    if (m_remember->isChecked())
        settings.setValue(kTokenKey, m_token->text());
    else
        settings.remove(kTokenKey);
    QDialog::accept();
}

} // namespace flack::admin
