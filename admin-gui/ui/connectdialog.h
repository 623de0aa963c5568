#pragma once
// Where to connect: the admin URL of any node and the admin token. Both are remembered with
// QSettings; the token only when the user ticks "Remember the token" (it is then stored in
// plain text in the settings file, which the tick box says). GUI thread.

#include <QDialog>
#include <QUrl>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace flack::admin {

class ConnectDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConnectDialog(QWidget *parent = nullptr);

    // Pre-fills (from the command line); an empty argument keeps what was remembered.
    void setInitial(const QUrl &url, const QString &token);

    QUrl url() const;
    QString token() const;

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QCheckBox *rememberToken() const { return m_remember; }

    void accept() override;

private:
    void validate();

    QLineEdit *m_url;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QLabel *m_problem;
    QPushButton *m_connect;
};

} // namespace flack::admin
