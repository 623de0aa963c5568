import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatStore, RoomStatus, insertionIndex, compareRoomNames } from '../public/js/chatstore.js';

const TS = '2024-05-01T12:00:00Z';
const joined = (room, id, name, seq) => ({ record: 'joined', chat_name: room, user_id: id, user_name: name, timestamp: TS, sequence: seq });
const left = (room, id, seq) => ({ record: 'left', chat_name: room, user_id: id, timestamp: TS, sequence: seq });
const msg = (room, id, text, seq) => ({ record: 'chat_message', chat_name: room, user_id: id, mime_type: 'text/plain', message: text, timestamp: TS, sequence: seq });
const state = (room, users) => ({ record: 'chat_state', chat_name: room, users: users.map(([user_id, user_name]) => ({ record: 'chat_user', user_id, user_name })) });

function joinedStore(room = 'r', others = [['bo', 'Bo'], ['cy', 'Cy']]) {
  const s = new ChatStore();
  s.setSelf('me', 'Ann');
  s.addRoom(room);
  s.setCurrent(room);
  s.apply(state(room, others));
  s.apply(joined(room, 'me', 'Ann', 10));
  return s;
}

const texts = (room) => room.events.filter((e) => e.kind === 'message').map((e) => e.text);

test('events are placed by sequence whatever the delivery order', () => {
  const s = joinedStore();
  const room = s.rooms.get('r');
  const order = [14, 11, 13, 12];
  const indexes = order.map((n) => s.apply(msg('r', 'bo', `m${n}`, n)).added[0].index);
  assert.deepEqual(texts(room), ['m11', 'm12', 'm13', 'm14']);
  // The index tells the page where to insert the node: after "you joined" and the
  // "present" line (2 events), m14 first at 2, m11 before it at 2, m13 at 3, m12 at 3.
  assert.deepEqual(indexes, [2, 2, 3, 3]);
});

test('a duplicate delivery is dropped', () => {
  const s = joinedStore();
  assert.ok(s.apply(msg('r', 'bo', 'x', 11)));
  assert.equal(s.apply(msg('r', 'bo', 'x', 11)), null);
  assert.deepEqual(texts(s.rooms.get('r')), ['x']);
});

test('joining: "you joined" then who is already there; members from chat_state', () => {
  const s = joinedStore();
  const room = s.rooms.get('r');
  assert.equal(room.status, RoomStatus.Joined);
  assert.deepEqual(room.events.map((e) => e.kind), ['joined', 'present']);
  assert.equal(room.events[0].self, true);
  assert.deepEqual(room.events[1].names, ['Bo', 'Cy']);
  assert.deepEqual(room.members('me', s.names).map((m) => m.userName), ['Ann', 'Bo', 'Cy']);
  assert.equal(room.members('me', s.names)[0].self, true);
});

test('members follow joined and left, even when delivered out of order', () => {
  const s = joinedStore();
  const room = s.rooms.get('r');
  s.apply(joined('r', 'di', 'Di', 11));
  s.apply(left('r', 'bo', 12));
  assert.deepEqual(room.members('me', s.names).map((m) => m.userName), ['Ann', 'Cy', 'Di']);
  // Ed's left (14) overtakes his joined (13): he must end up gone.
  s.apply(left('r', 'ed', 14));
  s.apply(joined('r', 'ed', 'Ed', 13));
  assert.deepEqual(room.members('me', s.names).map((m) => m.userName), ['Ann', 'Cy', 'Di']);
});

test('messages carry the sender name learned from joined / chat_state', () => {
  const s = joinedStore();
  s.apply(joined('r', 'di', 'Di 🎉', 11));
  const ch = s.apply(msg('r', 'di', '<img src=x onerror=alert(1)>', 12));
  assert.equal(ch.added[0].event.userName, 'Di 🎉');
  assert.equal(ch.added[0].event.text, '<img src=x onerror=alert(1)>');
  assert.equal(s.apply(msg('r', 'bo', 'hi', 13)).added[0].event.userName, 'Bo');
});

test('unread counts messages from others in rooms not shown', () => {
  const s = joinedStore('a');
  s.addRoom('b');
  s.apply(state('b', []));
  s.apply(joined('b', 'me', 'Ann', 1));
  s.setCurrent('a');
  s.apply(msg('b', 'bo', '1', 2));
  s.apply(msg('b', 'bo', '2', 3));
  s.apply(msg('b', 'me', 'mine', 4));
  s.apply(msg('a', 'bo', 'shown', 11));
  assert.equal(s.rooms.get('b').unread, 2);
  assert.equal(s.rooms.get('a').unread, 0);
  s.setCurrent('b');
  assert.equal(s.rooms.get('b').unread, 0);
});

test('leaving: "you left", room no longer listed, later records ignored', () => {
  const s = joinedStore();
  s.addRoom('z');
  const ch = s.apply(left('r', 'me', 11));
  assert.equal(ch.roomStatusChanged, true);
  assert.equal(s.rooms.get('r').status, RoomStatus.Left);
  assert.equal(s.current, null);
  assert.deepEqual(s.listedRooms().map((r) => r.name), ['z']);
  assert.equal(s.apply(msg('r', 'bo', 'late', 12)), null);
});

test('after a reconnect the new membership is a new epoch below the old history', () => {
  const s = joinedStore();
  const room = s.rooms.get('r');
  s.apply(msg('r', 'bo', 'before', 50));
  const lost = s.connectionLost();
  assert.equal(lost.length, 1);
  assert.equal(lost[0].added[0].index, room.events.length - 1);
  assert.equal(room.status, RoomStatus.Offline);
  assert.deepEqual(room.members('me', s.names), []);
  // The restarted server counts from 1 again.
  s.addRoom('r');
  s.apply(state('r', [['cy', 'Cy']]));
  s.apply(joined('r', 'me', 'Ann', 1));
  s.apply(msg('r', 'cy', 'after', 2));
  assert.deepEqual(texts(room), ['before', 'after']);
  assert.deepEqual(room.events.map((e) => e.kind), ['joined', 'present', 'message', 'notice', 'joined', 'present', 'message']);
  assert.deepEqual(room.members('me', s.names).map((m) => m.userName), ['Ann', 'Cy']);
});

test('our own id in chat_state (an old connection not yet gone) is not listed twice', () => {
  const s = new ChatStore();
  s.setSelf('me', 'Ann');
  s.addRoom('r');
  s.apply(state('r', [['me', 'Ann'], ['bo', 'Bo']]));
  s.apply(joined('r', 'me', 'Ann', 3));
  const room = s.rooms.get('r');
  assert.deepEqual(room.members('me', s.names).map((m) => m.userName), ['Ann', 'Bo']);
  assert.deepEqual(room.events[1].names, ['Bo']);
});

test('room list is sorted for people: case-insensitive, numeric', () => {
  const s = new ChatStore();
  for (const n of ['beta', 'Alpha', 'room10', 'room9', 'alpha']) s.addRoom(n);
  assert.deepEqual(s.listedRooms().map((r) => r.name), ['Alpha', 'alpha', 'beta', 'room9', 'room10']);
  assert.ok(compareRoomNames('a', 'B') < 0);
});

test('insertionIndex finds the slot or reports a duplicate', () => {
  const ev = (k) => ({ key: [1, k, 0] });
  const events = [ev(1), ev(3), ev(5)];
  assert.equal(insertionIndex(events, [1, 0, 0]), 0);
  assert.equal(insertionIndex(events, [1, 4, 0]), 2);
  assert.equal(insertionIndex(events, [1, 6, 0]), 3);
  assert.equal(insertionIndex(events, [1, 3, 0]), -1);
  assert.equal(insertionIndex(events, [0, 99, 0]), 0);
});
