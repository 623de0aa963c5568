// View: the page's DOM, and nothing else.
//
// It renders what the controller hands it and reports what the person does
// through callbacks. Every piece of text from the network goes in through
// textContent (via `el`), never as HTML, so a message like
// <img src=x onerror=alert(1)> is shown, not run.

import { colourFromUserId } from './colour.js';
import { presentParts, displayName, localTime, localDateTime } from './format.js';

// Creates an element; string children become text nodes.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'style') Object.assign(node.style, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

const $ = (id) => document.getElementById(id);

// A name inside a sentence: isolated so right-to-left names do not reorder
// the words around them.
const nameNode = (name, userId) => el('bdi', { dataset: { userId: userId || '' } }, name);

export class View {
  constructor(handlers) {
    this.h = handlers;
    this.logs = new Map(); // room name -> <ol role="log">
    this.emptyRoom = el('p', { class: 'empty-room' }, 'Join a room to start chatting.');
    $('logs').append(this.emptyRoom);
    this.bind();
  }

  bind() {
    $('login-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('login-name').value.trim();
      if (name) this.h.login(name);
    });
    $('logout').addEventListener('click', () => this.h.logout());
    $('retry').addEventListener('click', () => this.h.retry());
    $('join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const name = $('join-name').value.trim();
      if (!name) return;
      $('join-name').value = '';
      this.h.join(name);
    });
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      this.submitMessage();
    });
    const input = $('composer-input');
    input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter is a new line; never while an IME is composing.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submitMessage();
      }
    });
    input.addEventListener('input', () => this.fitComposer());
    // People lists take a lot of room on a phone: start them folded there.
    if (window.matchMedia('(max-width: 47.99rem)').matches) $('members').open = false;
  }

  submitMessage() {
    const input = $('composer-input');
    const text = input.value;
    if (!text.trim() || input.disabled) return;
    if (this.h.send(text)) {
      input.value = '';
      this.fitComposer();
    }
  }

  fitComposer() {
    const input = $('composer-input');
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight + 2}px`;
  }

  // ---- login state ----------------------------------------------------------

  showLoggedOut(rememberedName) {
    $('login-form').hidden = false;
    $('session').hidden = true;
    $('chat').hidden = true;
    $('welcome').hidden = false;
    $('login-name').value = rememberedName || '';
    this.setConnection('logged-out', '');
    for (const log of this.logs.values()) log.remove();
    this.logs.clear();
    this.emptyRoom.hidden = false;
    $('room-list').replaceChildren();
    document.title = 'Flack';
    $('login-name').focus();
  }

  showLoggedIn(name) {
    $('login-form').hidden = true;
    $('session').hidden = false;
    $('session-name').textContent = name;
    $('welcome').hidden = true;
    $('chat').hidden = false;
    this.hideAlert();
    this.renderRoom(null, []);
    $('join-name').focus();
  }

  setConnection(state, text) {
    const node = $('connection');
    node.dataset.state = state;
    node.textContent = text;
  }

  showAlert(text, { retry = false } = {}) {
    $('alert-text').textContent = text;
    $('retry').hidden = !retry;
    $('alert').hidden = false;
  }

  hideAlert() {
    $('alert').hidden = true;
  }

  announce(text) {
    // Clear first so the same sentence twice is still announced.
    const node = $('announcer');
    node.textContent = '';
    setTimeout(() => {
      node.textContent = text;
    }, 50);
  }

  // ---- rooms ----------------------------------------------------------------

  // rooms: [{ name, unread, status }], already sorted.
  renderRoomList(rooms, current) {
    const list = $('room-list');
    const active = document.activeElement;
    const focused = list.contains(active) ? { room: active.closest('li').dataset.room, cls: active.className } : null;
    list.replaceChildren(
      ...rooms.map((r) => {
        const unreadText = r.unread ? `${r.unread} unread` : '';
        return el(
          'li',
          { class: 'room-item', dataset: { room: r.name, status: r.status } },
          el(
            'button',
            {
              type: 'button',
              class: 'room-open',
              'aria-current': r.name === current ? 'true' : 'false',
              onclick: () => this.h.open(r.name),
            },
            el('span', { class: 'room-name', dir: 'auto' }, r.name),
            r.status === 'joining' || r.status === 'offline'
              ? el('span', { class: 'visually-hidden' }, `, ${r.status === 'joining' ? 'joining' : 'offline'}`)
              : null,
            r.unread ? el('span', { class: 'unread', 'aria-hidden': 'true' }, String(r.unread)) : null,
            unreadText ? el('span', { class: 'visually-hidden' }, `, ${unreadText}`) : null,
          ),
          el('button', { type: 'button', class: 'room-leave', 'aria-label': `Leave ${r.name}`, onclick: () => this.h.leave(r.name) }, 'Leave'),
        );
      }),
    );
    $('no-rooms').hidden = rooms.length > 0;
    if (focused) {
      const again = [...list.children].find((li) => li.dataset.room === focused.room);
      const target = again ? again.getElementsByClassName(focused.cls)[0] : list.querySelector('.room-open') || $('join-name');
      target?.focus();
    }
    const unread = rooms.reduce((n, r) => n + r.unread, 0);
    document.title = unread ? `(${unread}) Flack` : 'Flack';
  }

  logFor(roomName) {
    let log = this.logs.get(roomName);
    if (!log) {
      // One live log per room: hidden logs are not announced, so a screen
      // reader hears only the room on screen, and switching rooms re-reads nothing.
      log = el('ol', { class: 'log', role: 'log', 'aria-label': `Messages in ${roomName}`, hidden: true });
      this.logs.set(roomName, log);
      $('logs').append(log);
    }
    return log;
  }

  // Shows a room (or none): title, people, its log, and whether one may write.
  renderRoom(room, members, { canSend = false } = {}) {
    $('room-title').textContent = room ? room.name : 'No room selected';
    for (const [name, log] of this.logs) log.hidden = !room || name !== room.name;
    this.emptyRoom.hidden = Boolean(room);
    if (room) this.logFor(room.name).hidden = false;
    this.renderMembers(members, room);
    const input = $('composer-input');
    input.disabled = !room || !canSend;
    $('send').disabled = !room || !canSend;
    input.setAttribute('aria-label', room ? `Message to ${room.name}` : 'Message');
    input.placeholder = !room ? 'Join a room to write' : canSend ? `Message ${room.name}` : 'Not connected to this room';
    if (room) this.scrollToEnd();
  }

  renderMembers(members, room) {
    $('members').hidden = !room;
    $('members-summary').textContent = room ? `People here (${members.length})` : 'People here';
    $('member-list').replaceChildren(
      ...members.map((m) =>
        el(
          'li',
          { class: m.self ? 'you' : null, style: m.self ? null : { color: colourFromUserId(m.userId) }, dir: 'auto' },
          m.self ? `${m.userName} (you)` : displayName(m.userName, m.userId),
        ),
      ),
    );
  }

  // Inserts one event at its place (index in the room's sorted events).
  insertEvent(roomName, event, index, visible) {
    const log = this.logFor(roomName);
    const stick = visible && this.atEnd();
    log.insertBefore(this.eventNode(event), log.children[index] || null);
    if (stick || (visible && event.self)) this.scrollToEnd();
  }

  eventNode(ev) {
    const time = ev.timestamp
      ? el('time', { datetime: ev.timestamp, title: localDateTime(ev.timestamp) }, localTime(ev.timestamp))
      : null;
    switch (ev.kind) {
      case 'message':
        return el(
          'li',
          { class: 'msg', dataset: { userId: ev.userId } },
          el(
            'div',
            { class: 'meta' },
            el(
              'span',
              {
                class: 'sender',
                dir: 'auto',
                style: { color: colourFromUserId(ev.userId) },
                // A message can overtake its sender's `joined`; mark the
                // stand-in name so learnName() can fix it when the name comes.
                dataset: ev.userName ? {} : { unknownUser: ev.userId },
              },
              displayName(ev.userName, ev.userId),
            ),
            time,
          ),
          el('div', { class: 'text', dir: 'auto' }, ev.text),
        );
      case 'joined':
      case 'left': {
        const verb = ev.kind === 'joined' ? ' joined' : ' left';
        const who = ev.self ? 'You' : nameNode(displayName(ev.userName, ev.userId), ev.userId);
        return el('li', { class: 'sys', dataset: { kind: ev.kind } }, el('span', {}, who, verb), ' ', time);
      }
      case 'present':
        return el(
          'li',
          { class: 'sys', dataset: { kind: 'present' } },
          presentParts(ev.names).map((p) => (typeof p === 'string' ? p : nameNode(p.name))),
        );
      default:
        return el('li', { class: 'notice', dataset: { kind: ev.kind } }, ev.text);
    }
  }

  // Replaces stand-in names of a user whose name we just learned.
  learnName(userId, userName) {
    for (const node of $('logs').querySelectorAll('[data-unknown-user]')) {
      if (node.dataset.unknownUser !== userId) continue;
      node.textContent = userName;
      delete node.dataset.unknownUser;
    }
  }

  atEnd() {
    const box = $('logs');
    return box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  }

  scrollToEnd() {
    const box = $('logs');
    box.scrollTop = box.scrollHeight;
  }

  focusComposer() {
    const input = $('composer-input');
    if (!input.disabled) input.focus();
  }

  joinBoxFocused() {
    return document.activeElement === $('join-name');
  }

  focusJoin() {
    $('join-name').focus();
  }
}
