// ChatStore: what the page knows about rooms, people and events.
//
// Pure data, fed with server records. Events are kept sorted by
// (epoch, sequence, sub): `sequence` orders one chat's events, and the epoch
// starts anew with each join of the room, because after a reconnect (maybe to
// a restarted server) the sequence numbers of the new membership have nothing
// to do with the old ones. So a late or out-of-order delivery still lands in
// its place, and history from before a reconnect stays above the new events.

export function compareKeys(a, b) {
  for (let i = 0; i < 3; i += 1) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

// Index at which `key` belongs in `events` (sorted by key), or -1 when an
// event with that key is already there (a duplicate delivery).
export function insertionIndex(events, key) {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = compareKeys(events[mid].key, key);
    if (c === 0) return -1;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Room list order: human alphabetical (case- and accent-insensitive), with
// the raw code point order breaking ties so the order is total and stable.
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
export function compareRoomNames(a, b) {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export const RoomStatus = Object.freeze({
  Joining: 'joining', // join_chat sent, no answer yet
  Joined: 'joined',
  Offline: 'offline', // connection lost; will rejoin on reconnect
  Left: 'left',
});

export class Room {
  constructor(name) {
    this.name = name;
    this.status = RoomStatus.Joining;
    this.epoch = 0;
    this.baseline = new Map(); // user_id -> name, from chat_state (others only)
    this.events = [];
    this.unread = 0;
  }

  // Members now: the chat_state snapshot, then the current epoch's joins and
  // leaves replayed in sequence order (so a `left` delivered before its
  // `joined` still ends with the person gone).
  members(selfId, names) {
    if (this.status === RoomStatus.Offline || this.status === RoomStatus.Left) return [];
    const m = new Map(this.baseline);
    m.delete(selfId);
    for (const ev of this.events) {
      if (ev.key[0] !== this.epoch) continue;
      if (ev.kind === 'joined' && ev.userId !== selfId) m.set(ev.userId, ev.userName);
      if (ev.kind === 'left') m.delete(ev.userId);
    }
    const list = [...m].map(([userId, userName]) => ({ userId, userName: names.get(userId) ?? userName, self: false }));
    list.sort((a, b) => compareRoomNames(a.userName, b.userName) || compareRoomNames(a.userId, b.userId));
    if (this.status === RoomStatus.Joined) list.unshift({ userId: selfId, userName: names.get(selfId) ?? '', self: true });
    return list;
  }
}

export class ChatStore {
  constructor() {
    this.selfId = '';
    this.names = new Map(); // user_id -> user_name, learned from chat_state and joined
    this.rooms = new Map();
    this.current = null; // name of the room on screen
  }

  setSelf(userId, userName) {
    this.selfId = userId;
    this.names.set(userId, userName);
  }

  // The person asked to join: the room shows at once, marked as joining.
  addRoom(name) {
    let room = this.rooms.get(name);
    if (!room) {
      room = new Room(name);
      this.rooms.set(name, room);
    }
    room.status = RoomStatus.Joining;
    return room;
  }

  // Rooms to list: every room not left, sorted.
  listedRooms() {
    return [...this.rooms.values()]
      .filter((r) => r.status !== RoomStatus.Left)
      .sort((a, b) => compareRoomNames(a.name, b.name));
  }

  setCurrent(name) {
    this.current = name;
    const room = name != null ? this.rooms.get(name) : null;
    if (room) room.unread = 0;
  }

  // The connection dropped: memberships are gone until the rooms are rejoined.
  // Each joined room gets a notice line after everything of its current
  // epoch, so the gap in the conversation is visible. Returns the changes.
  connectionLost(text = 'Connection lost') {
    const changes = [];
    for (const room of this.rooms.values()) {
      if (room.status !== RoomStatus.Joined && room.status !== RoomStatus.Joining) continue;
      room.status = RoomStatus.Offline;
      const key = [room.epoch, Infinity, room.events.length];
      const index = insertionIndex(room.events, key);
      const event = { key, kind: 'notice', text };
      room.events.splice(index, 0, event);
      changes.push({ room, added: [{ event, index }], membersChanged: true, roomStatusChanged: true });
    }
    return changes;
  }

  // A room was left without the server's word (it was offline at the time).
  dropRoom(name) {
    const room = this.rooms.get(name);
    if (room) room.status = RoomStatus.Left;
    return room;
  }

  nameOf(userId) {
    return this.names.get(userId);
  }

  // Applies one chat record (chat_state, joined, chat_message, left). Returns
  // { room, added: [{ event, index }], membersChanged, roomStatusChanged } or
  // null when the record is for a room we are not in or is a duplicate.
  apply(r) {
    const room = this.rooms.get(r.chat_name);
    if (!room || room.status === RoomStatus.Left) return null;
    const change = { room, added: [], membersChanged: false, roomStatusChanged: false };

    if (r.record === 'chat_state') {
      // A chat_state opens each membership: start a new epoch.
      room.epoch += 1;
      room.baseline = new Map();
      for (const u of r.users) {
        room.baseline.set(u.user_id, u.user_name);
        this.names.set(u.user_id, u.user_name);
      }
      change.membersChanged = true;
      return change;
    }

    const self = r.user_id === this.selfId;
    const base = { userId: r.user_id, timestamp: r.timestamp, self };
    const add = (sub, ev) => {
      const key = [room.epoch, r.sequence, sub];
      const index = insertionIndex(room.events, key);
      if (index < 0) return false;
      const event = { key, ...base, ...ev };
      room.events.splice(index, 0, event);
      change.added.push({ event, index });
      return true;
    };

    switch (r.record) {
      case 'joined': {
        this.names.set(r.user_id, r.user_name);
        if (!add(0, { kind: 'joined', userName: r.user_name })) return null;
        if (self) {
          room.status = RoomStatus.Joined;
          change.roomStatusChanged = true;
          // Right under "you joined": who was already there.
          const others = [...room.baseline].filter(([id]) => id !== this.selfId).map(([, name]) => name);
          add(1, { kind: 'present', names: others.sort(compareRoomNames) });
        }
        change.membersChanged = true;
        return change;
      }
      case 'left': {
        if (!add(0, { kind: 'left', userName: this.names.get(r.user_id) ?? '' })) return null;
        if (self) {
          room.status = RoomStatus.Left;
          change.roomStatusChanged = true;
          if (this.current === room.name) this.current = null;
        }
        change.membersChanged = true;
        return change;
      }
      case 'chat_message': {
        if (!add(0, { kind: 'message', userName: this.names.get(r.user_id) ?? '', text: r.message })) return null;
        if (this.current !== room.name && !self) room.unread += 1;
        return change;
      }
      default:
        return null;
    }
  }
}
