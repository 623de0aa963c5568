import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../public/js/reconnect.js';

test('delays double up to the cap, then reset', () => {
  const b = new Backoff({ initialMs: 500, maxMs: 4000, jitter: 0 });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [500, 1000, 2000, 4000, 4000]);
  b.reset();
  assert.equal(b.next(), 500);
});

test('jitter spreads delays within ±20% and never past the cap', () => {
  const lo = new Backoff({ initialMs: 1000, maxMs: 1100, random: () => 0 });
  const hi = new Backoff({ initialMs: 1000, maxMs: 1100, random: () => 0.999999 });
  assert.equal(lo.next(), 800);
  assert.equal(hi.next(), 1100);
});
