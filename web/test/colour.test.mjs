import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourFromUserId, rgbFromUserId, contrastRatio, hexToRgb, BACKGROUND, MIN_CONTRAST } from '../public/js/colour.js';

test('the first 6 hex digits of the user id give the colour', () => {
  assert.deepEqual(rgbFromUserId('1a2b3c' + '0'.repeat(26)), [0x1a, 0x2b, 0x3c]);
  // Already dark enough: used as is.
  assert.equal(colourFromUserId('1a2b3cffffffffffffffffffffffffff'), '#1a2b3c');
  assert.equal(colourFromUserId('1A2B3C'), '#1a2b3c');
});

test('only the first 6 digits matter, so every client agrees', () => {
  assert.equal(colourFromUserId('00336699aaaaaaaa'), colourFromUserId('0033669900000000'));
  assert.notEqual(colourFromUserId('003366'), colourFromUserId('660033'));
});

test('light colours are darkened to readable contrast, keeping the hue', () => {
  const c = colourFromUserId('ffff00' + 'a'.repeat(26));
  assert.notEqual(c, '#ffff00');
  const [r, g, b] = hexToRgb(c);
  assert.ok(contrastRatio([r, g, b], hexToRgb(BACKGROUND)) >= MIN_CONTRAST, c);
  assert.equal(r, g, 'yellow stays yellow');
  assert.equal(b, 0);
});

test('every id yields a readable colour', () => {
  for (let i = 0; i < 4096; i += 1) {
    const id = (i * 4099).toString(16).padStart(6, '0').slice(-6);
    const c = colourFromUserId(id);
    assert.match(c, /^#[0-9a-f]{6}$/);
    assert.ok(contrastRatio(hexToRgb(c), hexToRgb(BACKGROUND)) >= MIN_CONTRAST, `${id} -> ${c}`);
  }
});

test('non-hex ids still get a stable colour', () => {
  assert.equal(colourFromUserId('anne'), colourFromUserId('anne'));
  assert.notEqual(colourFromUserId('anne'), colourFromUserId('bob'));
  assert.match(colourFromUserId(''), /^#[0-9a-f]{6}$/);
});
