// Small pure helpers that turn protocol facts into what the page says.

// The chat socket lives on the same host and port as the page, at
// /chat-server; https pages must use wss. Never a hard-coded host, so the
// page works behind any proxy or port.
export function chatServerUrl(location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/chat-server`;
}

// "Ann", "Ann and Bo", "Ann, Bo and Cy"
export function joinNames(names) {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

// The line under "you joined" saying who was already in the room, as parts:
// { name } for a person (the page isolates each name for bidi text) and plain
// strings for the words around them.
export function presentParts(names) {
  if (names.length === 0) return ['Nobody else is in the room'];
  const parts = [];
  names.forEach((name, i) => {
    if (i > 0) parts.push(i === names.length - 1 ? ' and ' : ', ');
    parts.push({ name });
  });
  parts.push(names.length === 1 ? ' is in the room' : ' are in the room');
  return parts;
}

export function presentLine(names) {
  return presentParts(names).map((p) => (typeof p === 'string' ? p : p.name)).join('');
}

// Fallback name for a user whose joined we never saw (e.g. a message that
// overtook its sender's join): a short piece of the id, clearly not a name.
export function displayName(userName, userId) {
  return userName || `user ${String(userId).slice(0, 6)}`;
}

// The text of a join/leave line.
export function membershipLine(event) {
  const who = event.self ? 'you' : displayName(event.userName, event.userId);
  const verb = event.kind === 'joined' ? 'joined' : 'left';
  const line = `${who} ${verb}`;
  return line.charAt(0).toUpperCase() + line.slice(1);
}

// Server timestamps are UTC ("2024-05-01T12:34:56Z"); people read local time.
export function parseTimestamp(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function localTime(ts, locale = undefined, timeZone = undefined) {
  const d = parseTimestamp(ts);
  if (!d) return '';
  return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
}

export function localDateTime(ts, locale = undefined, timeZone = undefined) {
  const d = parseTimestamp(ts);
  if (!d) return '';
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone });
}
