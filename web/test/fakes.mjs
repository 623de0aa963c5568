// Test doubles for ChatClient: a socket that records what is sent and lets
// the test play the server, and a clock whose time only moves when told.

export class FakeSocket {
  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closed = false;
  }
  send(text) {
    if (this.closed) throw new Error('send on closed socket');
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.closed = true;
  }
  // ---- the test's side ----
  open() {
    this.onopen?.();
  }
  serverSends(record) {
    this.onmessage?.({ data: JSON.stringify(record) });
  }
  drop() {
    this.closed = true;
    this.onclose?.({ code: 1006 });
  }
  records() {
    return this.sent.map((r) => r.record);
  }
}

export class FakeClock {
  constructor() {
    this.t = 0;
    this.nextId = 1;
    this.timers = new Map();
  }
  now() {
    return this.t;
  }
  setTimeout(fn, ms) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(id) {
    this.timers.delete(id);
  }
  // Moves time forward, firing due timers in order.
  advance(ms) {
    const end = this.t + ms;
    for (;;) {
      let next = null;
      for (const [id, tm] of this.timers) if (tm.at <= end && (!next || tm.at < next[1].at)) next = [id, tm];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
  pending() {
    return [...this.timers.values()].map((t) => t.at - this.t).sort((a, b) => a - b);
  }
}
