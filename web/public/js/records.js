// Flack protocol v1.0 records: building what the client sends and checking
// what the server sends (see docs/protocol.md). Pure functions over
// strings and plain objects; no sockets, no DOM.

export const PROTOCOL_VERSION = '1.0';

// ---- client -> server -------------------------------------------------------

export const clientHello = () => ({ record: 'client_hello', protocol_version: PROTOCOL_VERSION });

// user_id is only sent when we have one: an empty user_id would ask the
// server for a fresh identity anyway, and leaving it out says so plainly.
export function authenticate(userName, userId) {
  const r = { record: 'authenticate', user_name: userName };
  if (userId) r.user_id = userId;
  return r;
}

export const joinChat = (chatName) => ({ record: 'join_chat', chat_name: chatName });
export const leaveChat = (chatName) => ({ record: 'leave_chat', chat_name: chatName });
// The server adds user_id, timestamp and sequence; the client must omit them.
export const chatMessage = (chatName, message) => ({
  record: 'chat_message',
  chat_name: chatName,
  mime_type: 'text/plain',
  message,
});
export const ping = () => ({ record: 'ping' });
export const clientGoodbye = () => ({ record: 'client_goodbye' });

export const encode = (record) => JSON.stringify(record);

// ---- server -> client -------------------------------------------------------

const isStr = (v) => typeof v === 'string';
const isNonEmptyStr = (v) => typeof v === 'string' && v.length > 0;
const isSeq = (v) => Number.isSafeInteger(v);

// Required fields of each server record and what each must hold. Extra keys
// are tolerated here (we only read what we know); the server's exactness is
// tested on the server side.
const SERVER_RECORDS = {
  server_hello: { protocol_version: isStr },
  protocol_error: { code: isStr, reason: isStr },
  authenticated: { user_id: isNonEmptyStr },
  chat_state: {
    chat_name: isNonEmptyStr,
    users: (v) =>
      Array.isArray(v) && v.every((u) => u && typeof u === 'object' && isNonEmptyStr(u.user_id) && isStr(u.user_name)),
  },
  joined: { chat_name: isNonEmptyStr, user_name: isStr, user_id: isNonEmptyStr, timestamp: isStr, sequence: isSeq },
  chat_message: {
    chat_name: isNonEmptyStr,
    user_id: isNonEmptyStr,
    mime_type: isStr,
    message: isStr,
    timestamp: isStr,
    sequence: isSeq,
  },
  left: { chat_name: isNonEmptyStr, user_id: isNonEmptyStr, timestamp: isStr, sequence: isSeq },
  ping_reply: {},
  server_goodbye: {},
};

export class DecodeError extends Error {}

// Parses one text frame from the server. Returns the record object or throws
// DecodeError saying what was wrong, so the caller can log it and go on.
export function decode(text) {
  let obj;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new DecodeError('not JSON');
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new DecodeError('not a JSON object');
  if (!isStr(obj.record)) throw new DecodeError('no string "record" field');
  const spec = SERVER_RECORDS[obj.record];
  if (!spec) throw new DecodeError(`unknown record "${obj.record}"`);
  for (const [key, ok] of Object.entries(spec)) {
    if (!ok(obj[key])) throw new DecodeError(`${obj.record}: bad or missing "${key}"`);
  }
  return obj;
}
