import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as rec from '../public/js/records.js';

test('client records have exactly the protocol fields', () => {
  assert.deepEqual(rec.clientHello(), { record: 'client_hello', protocol_version: '1.0' });
  assert.deepEqual(rec.authenticate('Ann'), { record: 'authenticate', user_name: 'Ann' });
  assert.deepEqual(rec.authenticate('Ann', 'abc'), { record: 'authenticate', user_name: 'Ann', user_id: 'abc' });
  assert.deepEqual(rec.joinChat('r'), { record: 'join_chat', chat_name: 'r' });
  assert.deepEqual(rec.leaveChat('r'), { record: 'leave_chat', chat_name: 'r' });
  assert.deepEqual(rec.chatMessage('r', 'hi'), { record: 'chat_message', chat_name: 'r', mime_type: 'text/plain', message: 'hi' });
  assert.deepEqual(rec.ping(), { record: 'ping' });
  assert.deepEqual(rec.clientGoodbye(), { record: 'client_goodbye' });
});

test('unicode survives encode and decode', () => {
  const text = 'שלום 👋🏽 "q" \\ \n<b>';
  const back = JSON.parse(rec.encode(rec.chatMessage('חדר', text)));
  assert.equal(back.message, text);
  assert.equal(back.chat_name, 'חדר');
});

test('decode accepts every valid server record', () => {
  const ok = [
    { record: 'server_hello', protocol_version: '1.0' },
    { record: 'protocol_error', code: 'CHAT-001', reason: 'x' },
    { record: 'authenticated', user_id: 'ab' },
    { record: 'chat_state', chat_name: 'r', users: [{ record: 'chat_user', user_name: 'A', user_id: '1' }] },
    { record: 'joined', chat_name: 'r', user_name: 'A', user_id: '1', timestamp: '2024-01-01T00:00:00Z', sequence: 1 },
    { record: 'chat_message', chat_name: 'r', user_id: '1', mime_type: 'text/plain', message: '', timestamp: 't', sequence: 2 },
    { record: 'left', chat_name: 'r', user_id: '1', timestamp: 't', sequence: 3 },
    { record: 'ping_reply' },
    { record: 'server_goodbye' },
  ];
  for (const r of ok) assert.deepEqual(rec.decode(JSON.stringify(r)), r);
});

test('decode rejects malformed frames with a reason', () => {
  const bad = [
    ['{', /not JSON/],
    ['[1]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"x":1}', /record/],
    ['{"record":"nope"}', /unknown record/],
    ['{"record":"joined","chat_name":"r","user_name":"A","user_id":"1","timestamp":"t","sequence":"4"}', /sequence/],
    ['{"record":"chat_message","chat_name":"r","user_id":"1","mime_type":"text/plain","timestamp":"t","sequence":1}', /message/],
    ['{"record":"chat_state","chat_name":"r","users":[{"user_name":"A"}]}', /users/],
    ['{"record":"authenticated","user_id":""}', /user_id/],
  ];
  for (const [text, why] of bad) assert.throws(() => rec.decode(text), (e) => e instanceof rec.DecodeError && why.test(e.message), text);
});
