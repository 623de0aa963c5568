#include "shared/userid.h"

#include <QRandomGenerator>

namespace flack::protocol {

QString generateUserId()
{
    // QRandomGenerator::system() reads the operating system's secure source (getrandom).
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    static constexpr char hex[] = "0123456789abcdef";
    QString id(32, Qt::Uninitialized);
    QChar *out = id.data();
    for (quint32 word : words) {
        for (int shift = 28; shift >= 0; shift -= 4)
            *out++ = QLatin1Char(hex[(word >> shift) & 0xF]);
    }
    return id;
}

bool isGeneratedUserIdShape(QStringView id)
{
    if (id.size() != 32)
        return false;
    for (QChar c : id) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

} // namespace flack::protocol
