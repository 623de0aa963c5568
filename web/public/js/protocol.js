// The client's side of the Flack conversation as a state machine.
//
// It knows the order of the handshake (client_hello -> server_hello ->
// authenticate -> authenticated) and which server records make sense in which
// state. It owns no socket and no timer: each input returns what to send and
// what happened, so the whole conversation is testable with plain objects.

import * as rec from './records.js';

export const State = Object.freeze({
  Idle: 'idle', // no connection yet (or a new one is being opened)
  Greeting: 'greeting', // client_hello sent, waiting for server_hello
  Authenticating: 'authenticating', // authenticate sent, waiting for authenticated
  Ready: 'ready', // may join, leave, send messages, ping
  Closing: 'closing', // client_goodbye sent, waiting for server_goodbye
  Closed: 'closed', // connection over (goodbye, protocol_error or drop)
});

const CHAT_RECORDS = new Set(['chat_state', 'joined', 'chat_message', 'left']);

export class ProtocolMachine {
  // userId may be empty: the server then chooses one and tells us in
  // `authenticated`; we keep it so a reconnect resumes the same identity.
  constructor(userName, userId = '') {
    this.userName = userName;
    this.userId = userId;
    this.state = State.Idle;
  }

  // The socket opened: start the handshake (a new connection always starts
  // from the beginning, whatever state the last one ended in).
  opened() {
    this.state = State.Greeting;
    return [rec.clientHello()];
  }

  // The socket closed, for whatever reason.
  closed() {
    this.state = State.Closed;
  }

  // Handles one decoded server record. Returns { send: [records], events: [...] }
  // where events are { type: 'authenticated' | 'chat' | 'pong' | 'protocol_error'
  // | 'server_goodbye' | 'unexpected', ... }.
  receive(record) {
    const out = { send: [], events: [] };
    const r = record.record;

    // A protocol_error can come at any point; the server closes right after.
    if (r === 'protocol_error') {
      this.state = State.Closed;
      out.events.push({ type: 'protocol_error', code: record.code, reason: record.reason });
      return out;
    }
    // The server may say goodbye on its own (shutting down) or answer ours.
    if (r === 'server_goodbye') {
      this.state = State.Closed;
      out.events.push({ type: 'server_goodbye' });
      return out;
    }

    switch (this.state) {
      case State.Greeting:
        if (r === 'server_hello') {
          if (record.protocol_version !== rec.PROTOCOL_VERSION) {
            // Nothing we could say next would be understood.
            this.state = State.Closed;
            out.events.push({
              type: 'protocol_error',
              code: 'CLIENT-VERSION',
              reason: `server speaks protocol ${record.protocol_version}, this page speaks ${rec.PROTOCOL_VERSION}`,
            });
            return out;
          }
          this.state = State.Authenticating;
          out.send.push(rec.authenticate(this.userName, this.userId));
          return out;
        }
        break;
      case State.Authenticating:
        if (r === 'authenticated') {
          this.userId = record.user_id;
          this.state = State.Ready;
          out.events.push({ type: 'authenticated', userId: record.user_id });
          return out;
        }
        break;
      case State.Ready:
        if (CHAT_RECORDS.has(r)) {
          out.events.push({ type: 'chat', record });
          return out;
        }
        if (r === 'ping_reply') {
          out.events.push({ type: 'pong' });
          return out;
        }
        break;
      case State.Closing:
        // Events still in flight after our goodbye are of no interest.
        if (CHAT_RECORDS.has(r) || r === 'ping_reply') return out;
        break;
      default:
        break;
    }
    out.events.push({ type: 'unexpected', record, state: this.state });
    return out;
  }

  // Room and message requests are only valid once authenticated.
  get ready() {
    return this.state === State.Ready;
  }

  goodbye() {
    if (this.state !== State.Ready) return [];
    this.state = State.Closing;
    return [rec.clientGoodbye()];
  }
}
