#include "admin-gui/core/nodepairs.h"

#include <algorithm>

namespace flack::admin {

using protocol::LinkInfo;
using protocol::LinkState;

NodePair::Health NodePair::health() const
{
    const auto up = [](const std::optional<LinkInfo> &link) {
        return link && link->state == LinkState::Up;
    };
    if (!fromFirst && !fromSecond)
        return Health::Missing;
    if (up(fromFirst) && up(fromSecond))
        return Health::Up;
    // One side reporting up alone is not a working link: the other side didn't say so.
    if (up(fromFirst) || up(fromSecond))
        return Health::HalfOpen;
    return Health::Down;
}

qint64 NodePair::rttMs() const
{
    qint64 rtt = -1;
    for (const std::optional<LinkInfo> &link : {fromFirst, fromSecond}) {
        if (link && link->state == LinkState::Up)
            rtt = std::max(rtt, link->rttMs);
    }
    return rtt;
}

QList<NodePair> nodePairs(const QList<protocol::NodeInfo> &nodes)
{
    QList<const protocol::NodeInfo *> sorted;
    for (const protocol::NodeInfo &node : nodes)
        sorted.append(&node);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto *a, const auto *b) { return a->name < b->name; });
    const auto linkTo = [](const protocol::NodeInfo &from,
                           const QString &to) -> std::optional<LinkInfo> {
        for (const LinkInfo &link : from.links) {
            if (link.node == to)
                return link;
        }
        return std::nullopt;
    };
    QList<NodePair> pairs;
    for (qsizetype i = 0; i < sorted.size(); ++i) {
        for (qsizetype j = i + 1; j < sorted.size(); ++j) {
            NodePair pair;
            pair.first = sorted[i]->name;
            pair.second = sorted[j]->name;
            pair.fromFirst = linkTo(*sorted[i], pair.second);
            pair.fromSecond = linkTo(*sorted[j], pair.first);
            pairs.append(pair);
        }
    }
    return pairs;
}

} // namespace flack::admin
