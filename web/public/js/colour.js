// Colour for a user's name, derived from the user id.
//
// The original web client coloured a user by the first 6 hex digits of its
// user_id, so every client shows the same person in the same colour. Used raw,
// many of those colours are unreadable on our light background (#f5f5e9 on
// white), so we keep the hue the id gives and darken it until the text reaches
// WCAG AA contrast (4.5:1) against the message background.

export const BACKGROUND = '#ffffff';
export const MIN_CONTRAST = 4.5;

const HEX6 = /^[0-9a-f]{6}/i;

// The 24-bit RGB value an id stands for: its first 6 hex digits, or, for ids
// that are not hex (a server is free to accept any non-empty string from a
// reconnecting client), a stable FNV-1a hash so the colour is still stable.
export function rgbFromUserId(userId) {
  const id = String(userId ?? '');
  const m = HEX6.exec(id);
  let value;
  if (m) {
    value = parseInt(m[0], 16);
  } else {
    let h = 0x811c9dc5;
    for (const ch of id) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    value = h & 0xffffff;
  }
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function channelLuminance(c) {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance([r, g, b]) {
  return 0.2126 * channelLuminance(r) + 0.7152 * channelLuminance(g) + 0.0722 * channelLuminance(b);
}

export function contrastRatio(rgbA, rgbB) {
  const a = relativeLuminance(rgbA);
  const b = relativeLuminance(rgbB);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

export function hexToRgb(hex) {
  const v = parseInt(hex.replace('#', ''), 16);
  return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

export function rgbToHex(rgb) {
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('');
}

// The CSS colour (#rrggbb) to draw a user's name in.
export function colourFromUserId(userId, background = BACKGROUND) {
  const bg = hexToRgb(background);
  let rgb = rgbFromUserId(userId);
  // Scaling all channels by the same factor keeps the hue; 5% steps reach
  // black (contrast 21:1 on white) at worst, so the loop always ends.
  for (let f = 1; contrastRatio(rgb, bg) < MIN_CONTRAST && f > 0; ) {
    f = Math.max(0, f - 0.05);
    rgb = rgbFromUserId(userId).map((c) => Math.round(c * f));
  }
  return rgbToHex(rgb);
}
