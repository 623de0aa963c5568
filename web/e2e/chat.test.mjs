// End-to-end: real flack-server, real headless Chromium, the page as a person
// uses it. The tests run in order as one story (two people chatting, a server
// restart, a logout); each saves a screenshot in e2e/results/.

import { describe, test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { ServerProcess, freePort, launchBrowser, openPerson, screenshot, until } from './harness.mjs';

const WAIT = { timeout: 15000 };

// ---- what a person does -------------------------------------------------------

async function login(p, name, { withButton = false } = {}) {
  await p.page.fill('#login-name', name);
  if (withButton) await p.page.click('#login-form button[type=submit]');
  else await p.page.press('#login-name', 'Enter');
  await p.page.locator('#connection[data-state=online]').waitFor(WAIT);
  await p.page.locator('#session-name', { hasText: name }).waitFor(WAIT);
  assert.equal(await p.page.evaluate(() => document.activeElement?.id), 'join-name', 'focus moves to the join box');
}

async function join(p, room) {
  await p.page.fill('#join-name', room);
  await p.page.press('#join-name', 'Enter');
  await p.page.locator(`#room-list li[data-room="${room}"][data-status=joined]`).waitFor(WAIT);
}

async function say(p, text) {
  await p.page.locator('#composer-input:enabled').waitFor(WAIT);
  await p.page.fill('#composer-input', text);
  await p.page.press('#composer-input', 'Enter');
}

// A line in the log of the room on screen.
const line = (p, text) => p.page.locator('.log:not([hidden]) li', { hasText: text });
const message = (p, text) => p.page.locator('.log:not([hidden]) li.msg', { has: p.page.locator('.text', { hasText: text }) });
const roomNames = (p) => p.page.$$eval('#room-list li', (lis) => lis.map((li) => li.dataset.room));

// ---- the story ----------------------------------------------------------------

describe('Flack web client in Chromium against flack-server', () => {
  let server;
  let browser;
  let ann; // desktop window
  let bo; // phone-sized window

  let setupError = null;

  // A setup failure (no server binary, browser that cannot start) is kept and
  // re-thrown by every test, so each one reports FAILED with the reason
  // instead of being merely cancelled.
  before(async () => {
    try {
      server = await new ServerProcess(await freePort()).start();
      browser = await launchBrowser();
      ann = await openPerson(browser, server.baseUrl, { viewport: { width: 1280, height: 800 } });
      bo = await openPerson(browser, server.baseUrl, { viewport: { width: 390, height: 844 } });
    } catch (err) {
      setupError = err;
    }
  });
  beforeEach(() => {
    if (setupError) throw setupError;
  });

  after(async () => {
    await browser?.close();
    if (server?.proc) {
      const exit = await server.stop('SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, `flack-server should exit 0 on SIGTERM; output:\n${server.output}`);
    }
  });

  test('two people join the same room and see each other join and talk', async () => {
    await login(ann, 'Ann');
    await login(bo, 'Bo ✨', { withButton: true });
    await join(ann, 'lobby');
    await line(ann, 'You joined').waitFor(WAIT);
    await line(ann, 'Nobody else is in the room').waitFor(WAIT);
    await join(bo, 'lobby');
    await line(bo, 'Ann is in the room').waitFor(WAIT);
    await line(ann, 'Bo ✨ joined').waitFor(WAIT);

    // Keyboard only: after joining, the focus is in the message box.
    await until('focus in the message box', () => ann.page.evaluate(() => document.activeElement?.id === 'composer-input'));
    await ann.page.keyboard.type('hello from Ann 👋');
    await ann.page.keyboard.press('Enter');
    await message(bo, 'hello from Ann 👋').waitFor(WAIT);
    assert.equal(await message(bo, 'hello from Ann 👋').locator('.sender').textContent(), 'Ann');
    await say(bo, 'שלום from Bo');
    await message(ann, 'שלום from Bo').waitFor(WAIT);
    assert.equal(await message(ann, 'שלום from Bo').locator('.text').getAttribute('dir'), 'auto');

    // The sender's colour is the first 6 hex digits of the user id (made readable).
    const annId = ann.received.find((r) => r.record === 'authenticated').user_id;
    assert.match(annId, /^[0-9a-f]{6}/);
    const { colourFromUserId } = await import('../public/js/colour.js');
    const shown = await message(bo, 'hello from Ann 👋').locator('.sender').evaluate((n) => getComputedStyle(n).color);
    const [r, g, b] = shown.match(/\d+/g).map(Number);
    assert.equal('#' + [r, g, b].map((c) => c.toString(16).padStart(2, '0')).join(''), colourFromUserId(annId));

    // Both listed as members, on both pages.
    assert.deepEqual(await ann.page.$$eval('#member-list li', (l) => l.map((n) => n.textContent)), ['Ann (you)', 'Bo ✨']);
    assert.deepEqual(await bo.page.$$eval('#member-list li', (l) => l.map((n) => n.textContent)), ['Bo ✨ (you)', 'Ann']);

    // What went over the wire follows docs/protocol.md.
    assert.deepEqual(ann.sent.slice(0, 2), [
      { record: 'client_hello', protocol_version: '1.0' },
      { record: 'authenticate', user_name: 'Ann' },
    ]);
    assert.ok(ann.sent.some((r) => r.record === 'chat_message' && r.chat_name === 'lobby' && r.mime_type === 'text/plain' && r.message === 'hello from Ann 👋'));

    await screenshot(ann.page, 'two-people-desktop');
    await screenshot(bo.page, 'two-people-phone');
  });

  test('a third room is joined, listed in order, counts unread, and is left', async () => {
    await join(ann, 'side room');
    await join(ann, 'Aardvarks');
    assert.deepEqual(await roomNames(ann), ['Aardvarks', 'lobby', 'side room']);
    await ann.page.click('#room-list li[data-room="side room"] .room-open');
    await ann.page.locator('#room-title', { hasText: 'side room' }).waitFor(WAIT);
    await say(ann, 'only here');
    await message(ann, 'only here').waitFor(WAIT);

    // Bo talks in lobby while Ann looks at another room: lobby shows unread.
    await say(bo, 'you there?');
    await ann.page.locator('#room-list li[data-room=lobby] .unread', { hasText: '1' }).waitFor(WAIT);
    await ann.page.click('#room-list li[data-room=lobby] .room-open');
    await message(ann, 'you there?').waitFor(WAIT);
    assert.equal(await ann.page.locator('#room-list li[data-room=lobby] .unread').count(), 0);
    await screenshot(ann.page, 'three-rooms');

    // Leave with the keyboard: focus the Leave button and press Enter.
    await ann.page.focus('#room-list li[data-room="side room"] .room-leave');
    await ann.page.keyboard.press('Enter');
    await until('side room to leave the list', async () => !(await roomNames(ann)).includes('side room'));
    assert.ok(ann.received.some((r) => r.record === 'left' && r.chat_name === 'side room' && r.user_id === ann.received.find((x) => x.record === 'authenticated').user_id));
    assert.deepEqual(await roomNames(ann), ['Aardvarks', 'lobby']);
    await ann.page.click('#room-list li[data-room="Aardvarks"] .room-leave');
    await until('Aardvarks to leave the list', async () => (await roomNames(ann)).length === 1);
    await screenshot(ann.page, 'room-left');
  });

  test('a message that looks like HTML is shown as text, never run', async () => {
    const xss = '<img src=x onerror=alert(1)>';
    await bo.page.evaluate(() => {
      window.__xss = false;
      window.alert = () => {
        window.__xss = true;
      };
    });
    await say(bo, xss);
    await message(ann, xss).waitFor(WAIT);
    await message(bo, xss).waitFor(WAIT);
    for (const p of [ann, bo]) {
      assert.equal(await message(p, xss).locator('.text').textContent(), xss);
      assert.equal(await p.page.locator('.log img').count(), 0);
      assert.deepEqual(p.dialogs, []);
    }
    assert.equal(await bo.page.evaluate(() => window.__xss), false);
    await screenshot(ann.page, 'xss-as-text');
  });

  test('after a server restart the page reconnects with the same identity and rejoins', async () => {
    const annId = ann.received.find((r) => r.record === 'authenticated').user_id;
    const authBefore = ann.sent.filter((r) => r.record === 'authenticate').length;

    await server.stop('SIGKILL');
    await ann.page.locator('#connection[data-state=reconnecting]').waitFor(WAIT);
    await line(ann, 'Connection lost').waitFor(WAIT);
    await screenshot(ann.page, 'connection-lost');

    await server.start(); // same port
    await ann.page.locator('#connection[data-state=online]', { hasText: 'Reconnected' }).waitFor({ timeout: 30000 });
    await bo.page.locator('#connection[data-state=online]', { hasText: 'Reconnected' }).waitFor({ timeout: 30000 });

    const reauth = ann.sent.filter((r) => r.record === 'authenticate').slice(authBefore);
    assert.ok(reauth.length >= 1, 'authenticated again');
    assert.deepEqual(reauth.at(-1), { record: 'authenticate', user_name: 'Ann', user_id: annId });
    assert.equal(ann.received.filter((r) => r.record === 'authenticated').at(-1).user_id, annId);

    await ann.page.locator('#room-list li[data-room=lobby][data-status=joined]').waitFor(WAIT);
    await bo.page.locator('#room-list li[data-room=lobby][data-status=joined]').waitFor(WAIT);
    await say(ann, 'back again');
    await message(bo, 'back again').waitFor(WAIT);
    assert.equal(await message(bo, 'back again').locator('.sender').textContent(), 'Ann');
    // Old history is still there above the new events.
    await message(ann, 'hello from Ann 👋').waitFor(WAIT);
    await screenshot(ann.page, 'reconnected');
  });

  test('logout says goodbye; the other page sees the person leave; the name is remembered', async () => {
    await ann.page.click('#logout');
    await ann.page.locator('#login-form').waitFor(WAIT);
    await until('client_goodbye to be sent', () => ann.sent.some((r) => r.record === 'client_goodbye'));
    await line(bo, 'Ann left').waitFor(WAIT);
    assert.deepEqual(await bo.page.$$eval('#member-list li', (l) => l.map((n) => n.textContent)), ['Bo ✨ (you)']);
    assert.equal(await ann.page.inputValue('#login-name'), 'Ann');
    await ann.page.reload();
    assert.equal(await ann.page.inputValue('#login-name'), 'Ann');
    await screenshot(bo.page, 'other-left-phone');
    await screenshot(ann.page, 'logged-out');
    for (const p of [ann, bo]) assert.deepEqual(p.errors, [], 'no script errors on the page');
  });

  test('a protocol_error is shown to the person with its reason', async () => {
    const cy = await openPerson(browser, server.baseUrl, { viewport: { width: 1280, height: 800 } });
    try {
      await login(cy, 'Cy');
      // Longer than the server's default limit for names (256 UTF-8 bytes).
      const tooLong = '🐘'.repeat(100);
      await cy.page.fill('#join-name', tooLong);
      await cy.page.press('#join-name', 'Enter');
      await cy.page.locator('#alert:not([hidden])').waitFor(WAIT);
      const err = await until('a protocol_error frame', () => cy.received.find((r) => r.record === 'protocol_error'));
      const shown = await cy.page.textContent('#alert-text');
      assert.ok(shown.includes(err.reason), `alert "${shown}" shows reason "${err.reason}"`);
      await cy.page.locator('#connection[data-state=failed]').waitFor(WAIT);
      assert.ok(await cy.page.isVisible('#retry'), 'offers to try again');
      await screenshot(cy.page, 'protocol-error');
      // The rejected join is dropped, so trying again succeeds.
      await cy.page.click('#retry');
      await cy.page.locator('#connection[data-state=online]').waitFor(WAIT);
      assert.deepEqual(await roomNames(cy), []);
      assert.ok(await cy.page.isHidden('#alert'));
    } finally {
      await cy.context.close();
    }
  });

  test('messages delivered out of order are shown in sequence order', async () => {
    // Di's websocket goes through a relay that holds "first" back until
    // "second" has been delivered.
    const delivered = [];
    const di = await openPerson(browser, server.baseUrl, {
      prepare: (context) =>
        context.routeWebSocket(/\/chat-server$/, (ws) => {
          const upstream = ws.connectToServer();
          let held = null;
          upstream.onMessage((frame) => {
            const r = JSON.parse(frame);
            if (r.record === 'chat_message' && r.chat_name === 'ordered') {
              if (r.message === 'first') {
                held = frame;
                return;
              }
              delivered.push(r.message);
              ws.send(frame);
              if (r.message === 'second' && held) {
                delivered.push('first');
                ws.send(held);
                held = null;
              }
              return;
            }
            ws.send(frame);
          });
        }),
    });
    try {
      await login(di, 'Di');
      await join(di, 'ordered');
      await join(bo, 'ordered');
      await line(di, 'Bo ✨ joined').waitFor(WAIT);
      for (const text of ['first', 'second', 'third']) await say(bo, text);
      await message(di, 'third').waitFor(WAIT);
      await message(di, 'first').waitFor(WAIT);
      assert.deepEqual(delivered, ['second', 'first', 'third'], 'the relay really reordered');
      const shown = await di.page.$$eval('.log:not([hidden]) li.msg .text', (l) => l.map((n) => n.textContent));
      assert.deepEqual(shown, ['first', 'second', 'third']);
      await screenshot(di.page, 'out-of-order');
    } finally {
      await di.context.close();
    }
  });

  // The page leans on these details (sequence ordering, colours from ids), so
  // check what it actually received against docs/protocol.md's table.
  test('every record the pages received has exactly the keys protocol.md lists', () => {
    const KEYS = {
      server_hello: ['protocol_version'],
      protocol_error: ['code', 'reason'],
      authenticated: ['user_id'],
      chat_state: ['chat_name', 'users'],
      joined: ['chat_name', 'user_name', 'user_id', 'timestamp', 'sequence'],
      chat_message: ['chat_name', 'user_id', 'mime_type', 'message', 'timestamp', 'sequence'],
      left: ['chat_name', 'user_id', 'timestamp', 'sequence'],
      ping_reply: [],
      server_goodbye: [],
    };
    const lastSeq = new Map(); // per page and chat, within one server run
    for (const p of [ann, bo]) {
      assert.ok(p.received.length > 10, 'the page received records');
      for (const r of p.received) {
        assert.ok(KEYS[r.record], `known record: ${JSON.stringify(r)}`);
        assert.deepEqual(Object.keys(r).sort(), ['record', ...KEYS[r.record]].sort(), JSON.stringify(r));
        if (r.record === 'authenticated') lastSeq.clear(); // new connection: new sequences
        if ('timestamp' in r) assert.match(r.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        if ('sequence' in r) {
          const k = `${p === ann}/${r.chat_name}`;
          assert.ok(Number.isInteger(r.sequence) && r.sequence > (lastSeq.get(k) ?? -Infinity), `sequence increases: ${JSON.stringify(r)}`);
          lastSeq.set(k, r.sequence);
        }
        if (r.record === 'chat_state') {
          for (const u of r.users) assert.deepEqual(Object.keys(u).sort(), ['record', 'user_id', 'user_name']);
        }
      }
    }
  });
});
