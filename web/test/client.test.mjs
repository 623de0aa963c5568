import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChatClient, Status, PING_AFTER_MS } from '../public/js/client.js';
import { Backoff } from '../public/js/reconnect.js';
import { FakeSocket, FakeClock } from './fakes.mjs';

function setup(opts = {}) {
  const sockets = [];
  const clock = new FakeClock();
  const events = [];
  const client = new ChatClient({
    url: 'ws://example.test:8080/chat-server',
    userName: 'Ann',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    clock,
    backoff: new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 }),
    ...opts,
  });
  client.subscribe((e) => events.push(e));
  client.start();
  const last = () => sockets[sockets.length - 1];
  // Plays a server through the handshake on the newest socket.
  const handshake = (userId = 'u1') => {
    const s = last();
    s.open();
    s.serverSends({ record: 'server_hello', protocol_version: '1.0' });
    s.serverSends({ record: 'authenticated', user_id: userId });
    return s;
  };
  return { client, sockets, clock, events, last, handshake };
}

test('connects to the given url and performs the handshake', () => {
  const { client, last, handshake, events } = setup();
  assert.equal(last().url, 'ws://example.test:8080/chat-server');
  assert.equal(client.status, Status.Connecting);
  const s = handshake();
  assert.deepEqual(s.sent, [
    { record: 'client_hello', protocol_version: '1.0' },
    { record: 'authenticate', user_name: 'Ann' },
  ]);
  assert.equal(client.status, Status.Online);
  assert.equal(client.userId, 'u1');
  assert.ok(events.some((e) => e.type === 'authenticated' && e.userId === 'u1' && e.reconnected === false));
});

test('rooms asked for before login are joined once authenticated; no double joins', () => {
  const { client, handshake } = setup();
  client.join('b');
  const s = handshake();
  client.join('a');
  assert.equal(client.join('a'), false);
  assert.deepEqual(s.sent.slice(2), [
    { record: 'join_chat', chat_name: 'b' },
    { record: 'join_chat', chat_name: 'a' },
  ]);
});

test('messages go out only to joined rooms while online', () => {
  const { client, handshake } = setup();
  assert.equal(client.sendMessage('r', 'early'), false);
  const s = handshake();
  assert.equal(client.sendMessage('r', 'not joined'), false);
  client.join('r');
  assert.equal(client.sendMessage('r', 'hello 👋'), true);
  assert.deepEqual(s.sent.at(-1), { record: 'chat_message', chat_name: 'r', mime_type: 'text/plain', message: 'hello 👋' });
});

test('pings after 20 s without sending, and every send pushes the ping back', () => {
  const { client, clock, handshake } = setup();
  const s = handshake();
  client.join('r');
  clock.advance(PING_AFTER_MS - 1);
  assert.ok(!s.records().includes('ping'));
  client.sendMessage('r', 'x'); // resets the 20 s
  clock.advance(PING_AFTER_MS - 1);
  assert.ok(!s.records().includes('ping'));
  clock.advance(1);
  assert.equal(s.records().at(-1), 'ping');
  s.serverSends({ record: 'ping_reply' });
  clock.advance(PING_AFTER_MS);
  assert.equal(s.records().filter((r) => r === 'ping').length, 2);
});

test('no answer to a ping is treated as a dropped connection', () => {
  const { clock, handshake, sockets, client } = setup({ pongTimeoutMs: 5000 });
  handshake();
  clock.advance(PING_AFTER_MS);
  clock.advance(5000);
  assert.equal(client.status, Status.Reconnecting);
  assert.ok(sockets[0].closed);
  clock.advance(100);
  assert.equal(sockets.length, 2);
});

test('after a drop: reconnects with back-off, same user_id, rejoins rooms', () => {
  const { client, clock, sockets, events, handshake, last } = setup();
  const s1 = handshake('u42');
  client.join('a');
  client.join('b');
  s1.drop();
  assert.equal(client.status, Status.Reconnecting);
  assert.ok(events.some((e) => e.type === 'status' && e.status === Status.Reconnecting && e.delayMs === 100));
  assert.equal(sockets.length, 1, 'waits before retrying');
  clock.advance(99);
  assert.equal(sockets.length, 1);
  clock.advance(1);
  assert.equal(sockets.length, 2);

  // The server is still down: each failure waits longer (100, 200, 400 ...).
  last().drop();
  assert.deepEqual(clock.pending(), [200]);
  clock.advance(200);
  last().drop();
  assert.deepEqual(clock.pending(), [400]);
  clock.advance(400);

  const s = last();
  s.open();
  s.serverSends({ record: 'server_hello', protocol_version: '1.0' });
  assert.deepEqual(s.sent.at(-1), { record: 'authenticate', user_name: 'Ann', user_id: 'u42' });
  s.serverSends({ record: 'authenticated', user_id: 'u42' });
  assert.deepEqual(
    s.sent.filter((r) => r.record === 'join_chat').map((r) => r.chat_name).sort(),
    ['a', 'b'],
  );
  assert.equal(client.status, Status.Online);
  assert.ok(events.some((e) => e.type === 'authenticated' && e.reconnected === true));

  // Back-off starts short again after a successful login.
  s.drop();
  assert.deepEqual(clock.pending(), [100]);
});

test('a room left while offline is not rejoined and never sends leave_chat', () => {
  const { client, clock, handshake, events, last } = setup();
  const s1 = handshake();
  client.join('a');
  client.join('b');
  s1.drop();
  client.leave('a');
  assert.ok(events.some((e) => e.type === 'room_dropped' && e.chatName === 'a'));
  clock.advance(100);
  const s2 = handshake();
  assert.equal(last(), s2);
  assert.deepEqual(s2.sent.filter((r) => r.record.endsWith('_chat')), [{ record: 'join_chat', chat_name: 'b' }]);
});

test('our own left is passed on only when we asked to leave', () => {
  const { client, handshake, events } = setup();
  const s = handshake('me');
  client.join('r');
  const left = { record: 'left', chat_name: 'r', user_id: 'me', timestamp: 't', sequence: 5 };
  // The ghost of an earlier connection timing out on the server:
  s.serverSends(left);
  assert.ok(!events.some((e) => e.type === 'record' && e.record.record === 'left'));
  client.leave('r');
  assert.deepEqual(s.sent.at(-1), { record: 'leave_chat', chat_name: 'r' });
  s.serverSends({ ...left, sequence: 6 });
  assert.ok(events.some((e) => e.type === 'record' && e.record.record === 'left' && e.record.sequence === 6));
  // Others' leaves always pass.
  s.serverSends({ ...left, user_id: 'bo', sequence: 7 });
  assert.ok(events.some((e) => e.type === 'record' && e.record.user_id === 'bo'));
});

test('protocol_error: reason shown, no automatic retry, retry on request', () => {
  const { client, clock, sockets, events, handshake, last } = setup();
  const s = handshake();
  s.serverSends({ record: 'protocol_error', code: 'CHAT_PROTOCOL-007', reason: 'not in that chat' });
  assert.ok(events.some((e) => e.type === 'protocol_error' && e.reason === 'not in that chat'));
  s.drop();
  assert.equal(client.status, Status.Failed);
  assert.ok(events.some((e) => e.type === 'status' && e.status === Status.Failed && e.reason === 'not in that chat'));
  clock.advance(60000);
  assert.equal(sockets.length, 1);
  client.retryNow();
  assert.equal(sockets.length, 2);
  assert.notEqual(last(), s);
});

test('logout sends client_goodbye, closes after server_goodbye, never reconnects', () => {
  const { client, clock, sockets, handshake } = setup();
  const s = handshake();
  client.join('r');
  client.logout();
  assert.equal(s.records().at(-1), 'client_goodbye');
  assert.equal(client.status, Status.LoggedOut);
  assert.equal(s.closed, false, 'gives the server a moment to answer');
  s.serverSends({ record: 'server_goodbye' });
  assert.equal(s.closed, true);
  clock.advance(60000);
  assert.equal(sockets.length, 1);
});

test('logout closes the socket itself when server_goodbye never comes', () => {
  const { client, clock, handshake } = setup();
  const s = handshake();
  client.logout();
  clock.advance(999);
  assert.equal(s.closed, false);
  clock.advance(1);
  assert.equal(s.closed, true);
});

test('frames that are not valid records are ignored without breaking the session', () => {
  const logs = [];
  const { client, handshake } = setup({ log: (...a) => logs.push(a.join(' ')) });
  const s = handshake();
  s.onmessage({ data: 'garbage' });
  s.onmessage({ data: '{"record":"joined"}' });
  assert.equal(client.status, Status.Online);
  assert.equal(logs.length, 2);
});

test('after a protocol_error, the unanswered join is dropped so trying again does not repeat it', () => {
  const { client, events, handshake } = setup();
  const s = handshake('me');
  client.join('good');
  s.serverSends({ record: 'chat_state', chat_name: 'good', users: [] });
  s.serverSends({ record: 'joined', chat_name: 'good', user_name: 'Ann', user_id: 'me', timestamp: 't', sequence: 1 });
  client.join('x'.repeat(300));
  s.serverSends({ record: 'protocol_error', code: 'CHAT_LIMIT-002', reason: 'chat_name is too long' });
  s.drop();
  assert.deepEqual(events.filter((e) => e.type === 'room_dropped').map((e) => e.chatName), ['x'.repeat(300)]);
  client.retryNow();
  const s2 = handshake('me');
  assert.deepEqual(s2.sent.filter((r) => r.record === 'join_chat'), [{ record: 'join_chat', chat_name: 'good' }]);
});
