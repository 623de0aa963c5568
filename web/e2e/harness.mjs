// Support for the browser tests: a real flack-server on a free port, a real
// headless Chromium, screenshots, and waiting on conditions (never on time).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

export function serverBinary() {
  const bin = process.env.FLACK_SERVER;
  if (!bin) throw new Error('FLACK_SERVER is not set: point it at the flack-server binary (e.g. build/server/flack-server)');
  try {
    fs.accessSync(bin, fs.constants.X_OK);
  } catch {
    throw new Error(`FLACK_SERVER=${bin} does not exist or is not executable`);
  }
  return bin;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Polls `probe` until it returns a truthy value or the deadline passes; the
// error names what was awaited and the last thing seen.
export async function until(what, probe, { timeoutMs = 10000, intervalMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// A flack-server process. start() resolves once /healthz answers 200.
export class ServerProcess {
  constructor(port) {
    this.bin = serverBinary();
    this.port = port;
    this.output = '';
    this.proc = null;
  }

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--idle-timeout', '60'];
    if (process.env.FLACK_WEB_ROOT) args.push('--web-root', process.env.FLACK_WEB_ROOT);
    const proc = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.exit = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    let exited = null;
    this.exit.then((e) => {
      exited = e;
    });
    const keep = (chunk) => {
      this.output = (this.output + chunk).slice(-20000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    await until(
      `flack-server on port ${this.port} to answer GET /healthz with 200`,
      async () => {
        if (exited) throw new Error(`flack-server exited early (${JSON.stringify(exited)}): ${this.output}`);
        const res = await fetch(`${this.baseUrl}/healthz`).catch(() => null);
        return res && res.status === 200;
      },
      { timeoutMs: 15000, intervalMs: 100 },
    ).catch((err) => {
      proc.kill('SIGKILL');
      throw new Error(`${err.message}\nserver output:\n${this.output}`);
    });
    return this;
  }

  // Resolves with { code, signal } once the process has exited.
  async stop(signal = 'SIGTERM', timeoutMs = 10000) {
    if (!this.proc) return null;
    this.proc.kill(signal);
    const timer = new Promise((resolve) => setTimeout(() => resolve(null), timeoutMs));
    const result = await Promise.race([this.exit, timer]);
    if (!result) {
      this.proc.kill('SIGKILL');
      throw new Error(`flack-server did not exit within ${timeoutMs} ms of ${signal}`);
    }
    this.proc = null;
    return result;
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Launches the system Chromium. A browser that cannot start is a failure with
// its reason, never a skipped test.
export async function launchBrowser() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new Error(`playwright-core is not installed (run npm install in web/): ${err.message}`);
  }
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(`Chromium (${executablePath}) could not start: ${err.message}`);
  }
}

// One person: a browser context of its own (own localStorage), a page, and a
// record of every websocket frame the page sent and received.
export async function openPerson(browser, baseUrl, { viewport = { width: 1280, height: 800 }, prepare = null } = {}) {
  const context = await browser.newContext({ viewport });
  if (prepare) await prepare(context);
  const page = await context.newPage();
  const person = { context, page, sent: [], received: [], dialogs: [], errors: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => person.sent.push(safeJson(f.payload)));
    ws.on('framereceived', (f) => person.received.push(safeJson(f.payload)));
  });
  page.on('dialog', (d) => {
    person.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => person.errors.push(e.message));
  await page.goto(`${baseUrl}/`);
  return person;
}

function safeJson(payload) {
  try {
    return JSON.parse(String(payload));
  } catch {
    return { unparsed: String(payload) };
  }
}

export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
