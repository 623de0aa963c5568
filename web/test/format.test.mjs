import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatServerUrl, presentLine, membershipLine, localTime, displayName } from '../public/js/format.js';

test('websocket url follows the page location', () => {
  assert.equal(chatServerUrl({ protocol: 'http:', host: 'chat.example:8080' }), 'ws://chat.example:8080/chat-server');
  assert.equal(chatServerUrl({ protocol: 'https:', host: 'chat.example' }), 'wss://chat.example/chat-server');
  assert.equal(chatServerUrl({ protocol: 'http:', host: '[::1]:9000' }), 'ws://[::1]:9000/chat-server');
});

test('who is in the room reads naturally', () => {
  assert.equal(presentLine([]), 'Nobody else is in the room');
  assert.equal(presentLine(['Ann']), 'Ann is in the room');
  assert.equal(presentLine(['Ann', 'Bo']), 'Ann and Bo are in the room');
  assert.equal(presentLine(['Ann', 'Bo', 'Cy']), 'Ann, Bo and Cy are in the room');
});

test('join and leave lines', () => {
  assert.equal(membershipLine({ kind: 'joined', userName: 'Ann', self: false }), 'Ann joined');
  assert.equal(membershipLine({ kind: 'left', userName: 'Ann', self: false }), 'Ann left');
  assert.equal(membershipLine({ kind: 'left', userName: 'Ann', self: true }), 'You left');
  assert.equal(membershipLine({ kind: 'left', userName: '', userId: 'abcdef0123', self: false }), 'User abcdef left');
  assert.equal(displayName('', 'abcdef0123'), 'user abcdef');
});

test('timestamps are shown in local time', () => {
  assert.equal(localTime('2024-05-01T12:34:56Z', 'en-GB', 'UTC'), '12:34');
  assert.equal(localTime('2024-05-01T12:34:56Z', 'en-GB', 'Asia/Tokyo'), '21:34');
  assert.equal(localTime('garbage'), '');
});
