// ChatClient: one person's connection to the chat server, kept alive.
//
// It owns the socket, the ping timer and the reconnect timer, drives the
// ProtocolMachine, and remembers which rooms the person wants to be in so a
// new connection (after a drop or a server restart) authenticates with the
// same user_id and joins them again. It touches no DOM: the socket factory and
// the clock are passed in, so tests run it with a fake socket and a fake clock.

import { ProtocolMachine } from './protocol.js';
import * as rec from './records.js';
import { Backoff } from './reconnect.js';

export const Status = Object.freeze({
  Connecting: 'connecting', // first connection being made
  Online: 'online', // authenticated, rooms (re)joined
  Reconnecting: 'reconnecting', // connection lost, waiting or trying again
  Failed: 'failed', // the server refused us (protocol_error); no automatic retry
  LoggedOut: 'logged-out',
});

export const PING_AFTER_MS = 20000; // protocol: ping after 20 s without sending
export const PONG_TIMEOUT_MS = 20000; // silence after a ping means a dead link
export const GOODBYE_WAIT_MS = 1000; // how long logout waits for server_goodbye

const realClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

export class ChatClient {
  constructor({
    url,
    userName,
    userId = '',
    createSocket,
    clock = realClock,
    backoff = new Backoff(),
    pingAfterMs = PING_AFTER_MS,
    pongTimeoutMs = PONG_TIMEOUT_MS,
    log = () => {},
  }) {
    this.url = url;
    this.machine = new ProtocolMachine(userName, userId);
    this.createSocket = createSocket;
    this.clock = clock;
    this.backoff = backoff;
    this.pingAfterMs = pingAfterMs;
    this.pongTimeoutMs = pongTimeoutMs;
    this.log = log;

    this.status = Status.Connecting;
    this.rooms = new Set(); // rooms the person wants to be in, across connections
    this.joinedHere = new Set(); // rooms join_chat was sent for on this connection
    this.confirmed = new Set(); // rooms whose `joined` for us came on this connection
    this.leaving = new Set(); // rooms leave_chat was sent for, awaiting our `left`
    this.everAuthenticated = false;
    this.socket = null;
    this.timers = { ping: null, pong: null, retry: null, goodbye: null };
    this.listeners = new Set();
  }

  get userId() {
    return this.machine.userId;
  }
  get userName() {
    return this.machine.userName;
  }

  // Listener receives { type, ... }: 'status', 'authenticated', 'record',
  // 'room_dropped', 'protocol_error'.
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start() {
    this.connect();
  }

  // ---- requests from the person --------------------------------------------

  join(chatName) {
    if (this.rooms.has(chatName)) return false;
    this.rooms.add(chatName);
    if (this.machine.ready) this.sendJoin(chatName);
    return true;
  }

  leave(chatName) {
    if (!this.rooms.delete(chatName)) return false;
    if (this.machine.ready && this.joinedHere.has(chatName)) {
      this.leaving.add(chatName);
      this.send(rec.leaveChat(chatName));
    } else {
      // Not in the room on this connection (offline): the server holds no
      // membership to end, so leaving is purely local.
      this.emit({ type: 'room_dropped', chatName });
    }
    return true;
  }

  // Returns false when the message cannot go out now (not connected or not in
  // the room), so the page can keep the text instead of losing it.
  sendMessage(chatName, text) {
    if (!this.machine.ready || !this.joinedHere.has(chatName) || this.leaving.has(chatName)) return false;
    this.send(rec.chatMessage(chatName, text));
    return true;
  }

  logout() {
    this.clearTimer('retry');
    this.clearTimer('ping');
    this.clearTimer('pong');
    const bye = this.machine.goodbye();
    const socket = this.socket;
    if (bye.length && socket) {
      bye.forEach((r) => this.send(r));
      // The server answers server_goodbye and closes; if it does not, we do.
      this.timers.goodbye = this.clock.setTimeout(() => this.dropSocket(socket), GOODBYE_WAIT_MS);
    } else if (socket) {
      this.dropSocket(socket);
    }
    this.setStatus(Status.LoggedOut);
  }

  // After a protocol_error the person may ask to try again.
  retryNow() {
    if (this.status === Status.LoggedOut) return;
    this.clearTimer('retry');
    this.connect();
  }

  // ---- connection lifecycle -------------------------------------------------

  connect() {
    if (this.socket) this.dropSocket(this.socket);
    this.setStatus(this.everAuthenticated ? Status.Reconnecting : Status.Connecting, { trying: true });
    let socket;
    try {
      socket = this.createSocket(this.url);
    } catch (err) {
      this.log('socket creation failed', err);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    this.joinedHere.clear();
    this.confirmed.clear();
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.machine.opened().forEach((r) => this.send(r));
    };
    socket.onmessage = (ev) => {
      if (socket !== this.socket) return;
      this.onFrame(ev.data);
    };
    socket.onerror = () => {}; // a close event always follows; handled there
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.onSocketClosed();
    };
  }

  onFrame(data) {
    // Any frame proves the link is alive.
    this.clearTimer('pong');
    let record;
    try {
      record = rec.decode(typeof data === 'string' ? data : '');
    } catch (err) {
      this.log('ignoring bad frame:', err.message);
      return;
    }
    const { send, events } = this.machine.receive(record);
    send.forEach((r) => this.send(r));
    for (const ev of events) this.onProtocolEvent(ev);
  }

  onProtocolEvent(ev) {
    switch (ev.type) {
      case 'authenticated': {
        const reconnected = this.everAuthenticated;
        this.everAuthenticated = true;
        this.backoff.reset();
        this.emit({ type: 'authenticated', userId: ev.userId, reconnected });
        for (const room of this.rooms) this.sendJoin(room);
        this.setStatus(Status.Online);
        break;
      }
      case 'chat':
        this.onChatRecord(ev.record);
        break;
      case 'protocol_error':
        this.failure = { code: ev.code, reason: ev.reason };
        this.emit({ type: 'protocol_error', code: ev.code, reason: ev.reason });
        break;
      case 'server_goodbye':
        if (this.status === Status.LoggedOut && this.socket) this.dropSocket(this.socket);
        break;
      case 'pong':
        break;
      default:
        this.log('unexpected record', ev.record && ev.record.record, 'in state', ev.state);
    }
  }

  onChatRecord(r) {
    if (r.record === 'joined' && r.user_id === this.userId) this.confirmed.add(r.chat_name);
    if (r.record === 'left' && r.user_id === this.userId) {
      if (!this.leaving.delete(r.chat_name)) {
        // Our user_id left without us asking: the ghost of our previous
        // connection timing out on the server after we already came back.
        this.log('ignoring left of our previous connection in', r.chat_name);
        return;
      }
      this.joinedHere.delete(r.chat_name);
      this.confirmed.delete(r.chat_name);
    }
    this.emit({ type: 'record', record: r, selfId: this.userId });
  }

  onSocketClosed() {
    const wasProtocolError = Boolean(this.failure);
    this.socket = null;
    this.machine.closed();
    this.clearTimer('ping');
    this.clearTimer('pong');
    this.clearTimer('goodbye');
    // A leave the server never confirmed is still a leave: the person asked
    // for it, and the next connection will not rejoin the room.
    for (const chatName of this.leaving) this.emit({ type: 'room_dropped', chatName });
    this.leaving.clear();
    if (this.status === Status.LoggedOut) return;
    if (wasProtocolError) {
      // The server rejected what we said; saying it again would fail again.
      // A join still unanswered is the likely culprit (a name too long, say):
      // drop it, so that trying again does not repeat it.
      for (const chatName of this.joinedHere) {
        if (this.confirmed.has(chatName) || !this.rooms.delete(chatName)) continue;
        this.emit({ type: 'room_dropped', chatName });
      }
      this.joinedHere.clear();
      this.setStatus(Status.Failed, { ...this.failure });
      this.failure = null;
      return;
    }
    this.joinedHere.clear();
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    const delayMs = this.backoff.next();
    this.setStatus(Status.Reconnecting, { delayMs, attempt: this.backoff.attempt });
    this.timers.retry = this.clock.setTimeout(() => {
      this.timers.retry = null;
      this.connect();
    }, delayMs);
  }

  // Closing on purpose: detach first so the close event is not taken for a drop.
  dropSocket(socket) {
    if (socket === this.socket) {
      this.socket = null;
      this.machine.closed();
    }
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(1000, 'bye');
    } catch {
      /* already closed */
    }
  }

  // ---- sending and keep-alive ----------------------------------------------

  sendJoin(chatName) {
    this.joinedHere.add(chatName);
    this.send(rec.joinChat(chatName));
  }

  send(record) {
    if (!this.socket) return;
    try {
      this.socket.send(rec.encode(record));
    } catch (err) {
      this.log('send failed', err);
      return;
    }
    this.armPing();
  }

  // The protocol wants a ping after 20 s without sending anything, so every
  // send pushes the ping back.
  armPing() {
    this.clearTimer('ping');
    if (!this.socket) return;
    this.timers.ping = this.clock.setTimeout(() => {
      this.timers.ping = null;
      if (!this.machine.ready) return;
      this.send(rec.ping());
      // No frame at all within the timeout: the link is dead even though no
      // close event came (e.g. a laptop waking up); start over.
      if (!this.timers.pong) {
        this.timers.pong = this.clock.setTimeout(() => {
          this.timers.pong = null;
          this.log('no answer to ping; reconnecting');
          if (this.socket) this.dropSocket(this.socket);
          this.onSocketClosed();
        }, this.pongTimeoutMs);
      }
    }, this.pingAfterMs);
  }

  clearTimer(name) {
    if (this.timers[name] != null) this.clock.clearTimeout(this.timers[name]);
    this.timers[name] = null;
  }

  setStatus(status, detail = {}) {
    this.status = status;
    this.emit({ type: 'status', status, ...detail });
  }

  emit(ev) {
    for (const fn of this.listeners) fn(ev);
  }
}
