import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolMachine, State } from '../public/js/protocol.js';

const names = (out) => out.send.map((r) => r.record);

function readyMachine(userId = '') {
  const m = new ProtocolMachine('Ann', userId);
  m.opened();
  m.receive({ record: 'server_hello', protocol_version: '1.0' });
  m.receive({ record: 'authenticated', user_id: 'u1' });
  return m;
}

test('handshake: hello, then authenticate, then ready', () => {
  const m = new ProtocolMachine('Ann');
  assert.equal(m.state, State.Idle);
  assert.deepEqual(m.opened(), [{ record: 'client_hello', protocol_version: '1.0' }]);
  assert.equal(m.state, State.Greeting);
  const out = m.receive({ record: 'server_hello', protocol_version: '1.0' });
  assert.deepEqual(out.send, [{ record: 'authenticate', user_name: 'Ann' }]);
  assert.equal(m.state, State.Authenticating);
  assert.equal(m.ready, false);
  const out2 = m.receive({ record: 'authenticated', user_id: 'u1' });
  assert.deepEqual(out2.events, [{ type: 'authenticated', userId: 'u1' }]);
  assert.equal(m.state, State.Ready);
  assert.equal(m.userId, 'u1');
});

test('a known user_id is sent again when authenticating (reconnect keeps identity)', () => {
  const m = readyMachine();
  m.closed();
  assert.equal(m.state, State.Closed);
  m.opened();
  const out = m.receive({ record: 'server_hello', protocol_version: '1.0' });
  assert.deepEqual(out.send, [{ record: 'authenticate', user_name: 'Ann', user_id: 'u1' }]);
});

test('records out of place are reported, not acted on', () => {
  const m = new ProtocolMachine('Ann');
  m.opened();
  const out = m.receive({ record: 'authenticated', user_id: 'x' });
  assert.equal(out.events[0].type, 'unexpected');
  assert.equal(m.state, State.Greeting);
  const out2 = m.receive({ record: 'chat_message', chat_name: 'r' });
  assert.equal(out2.events[0].type, 'unexpected');
  assert.deepEqual(names(out2), []);
});

test('a server speaking another version ends the conversation', () => {
  const m = new ProtocolMachine('Ann');
  m.opened();
  const out = m.receive({ record: 'server_hello', protocol_version: '2.0' });
  assert.deepEqual(names(out), []);
  assert.equal(out.events[0].type, 'protocol_error');
  assert.match(out.events[0].reason, /2\.0/);
  assert.equal(m.state, State.Closed);
});

test('protocol_error in any state is passed on with its reason', () => {
  for (const setup of [(m) => m.opened(), (m) => { m.opened(); m.receive({ record: 'server_hello', protocol_version: '1.0' }); }]) {
    const m = new ProtocolMachine('Ann');
    setup(m);
    const out = m.receive({ record: 'protocol_error', code: 'CHAT_PROTOCOL-004', reason: 'bad name' });
    assert.deepEqual(out.events, [{ type: 'protocol_error', code: 'CHAT_PROTOCOL-004', reason: 'bad name' }]);
    assert.equal(m.state, State.Closed);
  }
});

test('chat records and ping_reply flow when ready', () => {
  const m = readyMachine();
  const rec = { record: 'joined', chat_name: 'r', user_name: 'A', user_id: '1', timestamp: 't', sequence: 1 };
  assert.deepEqual(m.receive(rec).events, [{ type: 'chat', record: rec }]);
  assert.deepEqual(m.receive({ record: 'ping_reply' }).events, [{ type: 'pong' }]);
});

test('goodbye only once and only when ready; server_goodbye closes', () => {
  const fresh = new ProtocolMachine('Ann');
  assert.deepEqual(fresh.goodbye(), []);
  const m = readyMachine();
  assert.deepEqual(m.goodbye(), [{ record: 'client_goodbye' }]);
  assert.equal(m.state, State.Closing);
  assert.deepEqual(m.goodbye(), []);
  assert.deepEqual(m.receive({ record: 'chat_message', chat_name: 'r' }).events, []);
  assert.deepEqual(m.receive({ record: 'server_goodbye' }).events, [{ type: 'server_goodbye' }]);
  assert.equal(m.state, State.Closed);
});
