#include "admin-gui/ui/kickdialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace flack::admin {

namespace {

QString describe(const protocol::UserInfo &user)
{
    return KickDialog::tr("<b>%1</b> (%2 on %3, from %4)")
        .arg(user.userName.toHtmlEscaped(), user.connectionId.toHtmlEscaped(),
             user.node.toHtmlEscaped(), user.remoteAddress.toHtmlEscaped());
}

} // namespace

KickDialog::KickDialog(const QList<protocol::UserInfo> &users, QWidget *parent)
    : QDialog(parent), m_users(users), m_reason(new QLineEdit(this)), m_limit(new QLabel(this)),
      m_kick(new QPushButton(tr("&Kick"), this))
{
    setWindowTitle(users.size() == 1 ? tr("Kick user") : tr("Kick %1 users").arg(users.size()));
    auto *question = new QLabel(this);
    question->setTextFormat(Qt::RichText);
    question->setWordWrap(true);
    QStringList lines;
    constexpr qsizetype kListed = 8;
    for (qsizetype i = 0; i < users.size() && i < kListed; ++i)
        lines.append(describe(users[i]));
    if (users.size() > kListed)
        lines.append(tr("and %1 more").arg(users.size() - kListed));
    question->setText(
        (users.size() == 1 ? tr("Disconnect this user?") : tr("Disconnect these users?")) +
        QStringLiteral("<br>") + lines.join(QStringLiteral("<br>")) + QStringLiteral("<br><br>") +
        tr("They get the reason in a protocol_error and the members of their chats see them "
           "leave. They may connect again."));

    m_reason->setPlaceholderText(QString(protocol::kAdminDefaultKickReason));
    m_reason->setAccessibleName(tr("Reason"));
    connect(m_reason, &QLineEdit::textChanged, this, &KickDialog::updateLimit);
    m_limit->setForegroundRole(QPalette::PlaceholderText);

    auto *form = new QFormLayout;
    form->addRow(tr("&Reason:"), m_reason);
    form->addRow(QString(), m_limit);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_kick, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_kick->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(question);
    layout->addLayout(form);
    layout->addWidget(buttons);
    m_reason->setFocus();
    updateLimit();
}

QString KickDialog::reason() const
{
    return m_reason->text().trimmed();
}

void KickDialog::updateLimit()
{
    // The protocol bounds the reason in UTF-8 bytes, not characters.
    const qsizetype bytes = reason().toUtf8().size();
    const bool fits = bytes <= protocol::kAdminMaxKickReasonBytes;
    m_limit->setText(
        fits ? tr("%1 of %2 bytes").arg(bytes).arg(protocol::kAdminMaxKickReasonBytes)
             : tr("too long: %1 of %2 bytes").arg(bytes).arg(protocol::kAdminMaxKickReasonBytes));
    m_kick->setEnabled(fits);
}

} // namespace flack::admin
