// The page's controller: wires the ChatClient (network), the ChatStore (what
// we know) and the View (DOM). Decisions about what the person sees live here;
// protocol rules live in protocol.js/client.js, drawing lives in ui.js.

import { ChatClient, Status } from './client.js';
import { ChatStore, RoomStatus } from './chatstore.js';
import { chatServerUrl } from './format.js';
import { View } from './ui.js';

const NAME_KEY = 'flack.userName';

// localStorage can be unavailable (private modes, disabled storage): the page
// must still work, only without remembering the name.
const remembered = {
  get: () => {
    try {
      return localStorage.getItem(NAME_KEY) || '';
    } catch {
      return '';
    }
  },
  set: (v) => {
    try {
      localStorage.setItem(NAME_KEY, v);
    } catch {
      /* not remembered, nothing else lost */
    }
  },
};

let client = null;
let store = null;
let wasOnline = false;

const view = new View({
  login(name) {
    remembered.set(name);
    startSession(name);
  },
  logout() {
    if (!client) return;
    client.logout();
    client = null;
    store = null;
    view.showLoggedOut(remembered.get());
  },
  retry() {
    view.hideAlert();
    client?.retryNow();
  },
  join(name) {
    const room = store.rooms.get(name);
    if (room && room.status !== RoomStatus.Left) {
      openRoom(name); // already in it: just show it
      return;
    }
    store.addRoom(name);
    client.join(name);
    openRoom(name);
  },
  open(name) {
    openRoom(name);
  },
  leave(name) {
    client.leave(name);
  },
  send(text) {
    if (!store.current) return false;
    const ok = client.sendMessage(store.current, text);
    if (!ok) view.announce('Not connected: the message was not sent.');
    return ok;
  },
});

function startSession(name) {
  store = new ChatStore();
  wasOnline = false;
  client = new ChatClient({
    url: chatServerUrl(window.location),
    userName: name,
    createSocket: (url) => new WebSocket(url),
    log: (...args) => console.debug('[flack]', ...args),
  });
  const mine = client;
  client.subscribe((ev) => {
    if (client === mine) onClientEvent(ev);
  });
  view.showLoggedIn(name);
  client.start();
}

function onClientEvent(ev) {
  switch (ev.type) {
    case 'status':
      onStatus(ev);
      break;
    case 'authenticated':
      store.setSelf(ev.userId, client.userName);
      view.hideAlert();
      break;
    case 'record':
      applyChange(store.apply(ev.record));
      break;
    case 'room_dropped':
      if (store.dropRoom(ev.chatName)) roomGone(ev.chatName);
      break;
    case 'protocol_error':
      view.showAlert(`The server ended the session: ${ev.reason}${ev.code ? ` (${ev.code})` : ''}`);
      break;
    default:
      break;
  }
}

function onStatus(ev) {
  switch (ev.status) {
    case Status.Connecting:
      view.setConnection('connecting', 'Connecting…');
      break;
    case Status.Online:
      view.setConnection('online', wasOnline ? 'Reconnected' : 'Connected');
      if (wasOnline) view.announce('Reconnected. Your rooms are joined again.');
      wasOnline = true;
      break;
    case Status.Reconnecting:
      if (ev.trying) {
        view.setConnection('reconnecting', wasOnline ? 'Connection lost. Reconnecting…' : 'Connecting…');
      } else {
        // First report of this drop: mark the gap in every room once.
        if (store.rooms.size && [...store.rooms.values()].some((r) => r.status === RoomStatus.Joined || r.status === RoomStatus.Joining)) {
          view.announce('Connection lost. Reconnecting.');
          for (const change of store.connectionLost()) applyChange(change);
        }
        const s = Math.max(1, Math.round(ev.delayMs / 1000));
        view.setConnection(
          'reconnecting',
          wasOnline ? `Connection lost. Reconnecting in ${s} s…` : `Cannot reach the server. Trying again in ${s} s…`,
        );
      }
      break;
    case Status.Failed:
      for (const change of store.connectionLost('Disconnected by the server')) applyChange(change);
      view.setConnection('failed', 'Disconnected');
      view.showAlert(`The server ended the session: ${ev.reason}${ev.code ? ` (${ev.code})` : ''}`, { retry: true });
      refresh();
      break;
    default:
      break;
  }
  // Whether one may write depends on the connection too.
  if (store) refresh();
}

function applyChange(change) {
  if (!change) return;
  const { room } = change;
  const visible = store.current === room.name;
  for (const { event, index } of change.added) {
    view.insertEvent(room.name, event, index, visible);
    if (event.kind === 'joined' && !event.self) view.learnName(event.userId, event.userName);
  }
  if (change.roomStatusChanged && room.status === RoomStatus.Left) {
    roomGone(room.name);
    return;
  }
  refresh();
  // Joining is usually followed by writing: once the server confirms the room
  // on screen, move the focus from the join box to the message box.
  if (change.roomStatusChanged && room.status === RoomStatus.Joined && visible && view.joinBoxFocused()) view.focusComposer();
}

// A room left (confirmed by the server, or dropped while offline).
function roomGone(name) {
  view.announce(`You left ${name}`);
  if (store.current === name || store.current === null) {
    const next = store.listedRooms()[0];
    store.setCurrent(next ? next.name : null);
  }
  refresh();
  if (!document.activeElement || document.activeElement === document.body) view.focusJoin();
}

function openRoom(name) {
  store.setCurrent(name);
  refresh();
}

// Redraws the room list and the current room's frame (the logs are updated
// incrementally by applyChange; this only touches small parts).
function refresh() {
  const rooms = store.listedRooms();
  view.renderRoomList(
    rooms.map((r) => ({ name: r.name, unread: r.unread, status: r.status })),
    store.current,
  );
  const room = store.current ? store.rooms.get(store.current) : null;
  view.renderRoom(room, room ? room.members(store.selfId, store.names) : [], {
    canSend: Boolean(room && room.status === RoomStatus.Joined && client.status === Status.Online),
  });
}

view.showLoggedOut(remembered.get());
