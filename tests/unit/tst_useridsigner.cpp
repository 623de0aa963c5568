// UserIdSigner: issued ids verify under the same key only, keep the protocol's id shape, and
// anything altered or invented is refused.

#include "server/sessions/useridsigner.h"
#include "shared/userid.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using flack::server::sessions::UserIdSigner;

class TestUserIdSigner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void issuedIdsVerifyAndKeepTheShape()
    {
        const UserIdSigner signer("a cluster secret of enough bytes");
        QSet<QString> seen;
        for (int i = 0; i < 100; ++i) {
            const QString id = signer.issue();
            QVERIFY(flack::protocol::isGeneratedUserIdShape(id));
            QVERIFY(signer.verify(id));
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 100);
    }

    void anotherNodeWithTheSameSecretHonoursThem()
    {
        const UserIdSigner one("a cluster secret of enough bytes");
        const UserIdSigner other("a cluster secret of enough bytes");
        QVERIFY(other.verify(one.issue()));
        QVERIFY(!UserIdSigner("some other secret, also long").verify(one.issue()));
    }

    void withoutASecretEachProcessHasItsOwnKey()
    {
        const UserIdSigner one({});
        const UserIdSigner other({});
        const QString id = one.issue();
        QVERIFY(one.verify(id));
        QVERIFY(!other.verify(id));
    }

    void alteredOrInventedIdsAreRefused()
    {
        const UserIdSigner signer("a cluster secret of enough bytes");
        const QString id = signer.issue();
        for (int i = 0; i < id.size(); ++i) {
            QString altered = id;
            altered[i] = altered[i] == u'0' ? u'1' : u'0';
            QVERIFY2(!signer.verify(altered), qPrintable(altered));
        }
        QVERIFY(!signer.verify(flack::protocol::generateUserId()));
        QVERIFY(!signer.verify(id.toUpper()));
        QVERIFY(!signer.verify(id.left(31)));
        QVERIFY(!signer.verify(id + u'0'));
        QVERIFY(!signer.verify(u""_s));
        QVERIFY(!signer.verify(u"alice"_s));
    }
};

QTEST_GUILESS_MAIN(TestUserIdSigner)
#include "tst_useridsigner.moc"
