// Checks a running local cluster (tools/dev/run-cluster.sh) the way a person uses it: two
// browser contexts open the page through nginx, log in as two users, join the same room and
// exchange a message each way. It also finds which node each page's websocket reached (nginx's
// established connections to the nodes' HTTP ports, from `ss`) and fails unless the two pages
// are on different nodes, so the messages really crossed a cluster link.
// Not part of `npm run e2e` (its name does not end in .test.mjs): it needs the cluster running.
//   node e2e/cluster-check.mjs [--url http://localhost:8080] [--node-ports 8081,8082,8083]
// Screenshots: e2e/results/cluster-<name>.png. Exit status 0 when every check passed.

import { execFileSync } from 'node:child_process';
import { launchBrowser, openPerson, screenshot, until } from './harness.mjs';

const WAIT = { timeout: 15000 };

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const baseUrl = option('--url', 'http://localhost:8080');
const nodePorts = option('--node-ports', '8081,8082,8083').split(',').map(Number);

// Established TCP connections to the nodes' HTTP ports, as "local->remote" keyed strings with
// the node port they reach. Page loads through nginx open short-lived ones as well; a
// websocket is the one that stays.
function nodeConnections() {
  const out = execFileSync('ss', ['-tnH', 'state', 'established'], { encoding: 'utf8' });
  const found = new Map();
  for (const row of out.split('\n')) {
    const cols = row.trim().split(/\s+/);
    if (cols.length < 4) continue;
    const [local, peer] = cols.slice(-2);
    const port = Number(peer.slice(peer.lastIndexOf(':') + 1));
    if (nodePorts.includes(port) && peer.startsWith('127.0.0.1:')) found.set(`${local}->${peer}`, port);
  }
  return found;
}

// Waits until exactly one connection to a node has appeared since `before` and stayed for a
// second (the websocket), and returns the node port it reaches.
async function newWebsocketNode(before, who) {
  let seen = null;
  let since = 0;
  return until(`${who}'s websocket to show up as one lasting connection from nginx to a node`, () => {
    const fresh = [...nodeConnections()].filter(([key]) => !before.has(key));
    if (fresh.length !== 1) {
      seen = null;
      return false;
    }
    const [key, port] = fresh[0];
    if (key !== seen) {
      seen = key;
      since = Date.now();
      return false;
    }
    return Date.now() - since >= 1000 ? port : false;
  }, { timeoutMs: 15000, intervalMs: 100 });
}

async function login(p, name) {
  await p.page.fill('#login-name', name);
  await p.page.press('#login-name', 'Enter');
  await p.page.locator('#connection[data-state=online]').waitFor(WAIT);
  await p.page.locator('#session-name', { hasText: name }).waitFor(WAIT);
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

const message = (p, text) => p.page.locator('.log:not([hidden]) li.msg', { has: p.page.locator('.text', { hasText: text }) });
const members = (p) => p.page.$$eval('#member-list li', (l) => l.map((n) => n.textContent));

function check(condition, what) {
  if (!condition) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

let browser;
let exitCode = 0;
try {
  browser = await launchBrowser();
  const room = `cluster-${process.pid}`;

  const before = nodeConnections();
  const ann = await openPerson(browser, baseUrl);
  await login(ann, 'Ann');
  const annNode = await newWebsocketNode(before, 'Ann');
  console.log(`Ann's websocket reached the node on port ${annNode}`);

  const beforeBo = nodeConnections();
  const bo = await openPerson(browser, baseUrl);
  await login(bo, 'Bo');
  const boNode = await newWebsocketNode(beforeBo, 'Bo');
  console.log(`Bo's websocket reached the node on port ${boNode}`);
  check(annNode !== boNode, `the two pages are on different nodes (${annNode} and ${boNode})`);

  await join(ann, room);
  await join(bo, room);
  await until('each page to list both members', async () =>
    JSON.stringify(await members(ann)) === JSON.stringify(['Ann (you)', 'Bo']) &&
    JSON.stringify(await members(bo)) === JSON.stringify(['Bo (you)', 'Ann']), { timeoutMs: 15000 });
  check(true, 'both pages list Ann and Bo as members of the room');

  const fromAnn = `hello from Ann on ${annNode}`;
  const fromBo = `hello from Bo on ${boNode}`;
  await say(ann, fromAnn);
  await message(bo, fromAnn).waitFor(WAIT);
  check((await message(bo, fromAnn).locator('.sender').textContent()) === 'Ann', "Bo's page shows Ann's message, from Ann");
  await say(bo, fromBo);
  await message(ann, fromBo).waitFor(WAIT);
  check((await message(ann, fromBo).locator('.sender').textContent()) === 'Bo', "Ann's page shows Bo's message, from Bo");
  await message(ann, fromAnn).waitFor(WAIT);
  await message(bo, fromBo).waitFor(WAIT);
  check(true, 'each page also shows its own message');

  for (const [who, p] of [['Ann', ann], ['Bo', bo]]) {
    check(p.errors.length === 0, `${who}'s page raised no script errors (${p.errors.join('; ')})`);
    check(!p.received.some((r) => r.record === 'protocol_error'), `${who} received no protocol_error`);
  }
  console.log(`screenshot: ${await screenshot(ann.page, 'cluster-ann')}`);
  console.log(`screenshot: ${await screenshot(bo.page, 'cluster-bo')}`);
  console.log('cluster check passed');
} catch (err) {
  console.error(err.message);
  exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
}
process.exit(exitCode);
