// Back-off policy for reconnecting: exponential with jitter, capped.
//
// Jitter matters when a server restarts with many clients attached: without
// it every page would knock at the same instant.

export class Backoff {
  constructor({ initialMs = 500, maxMs = 15000, factor = 2, jitter = 0.2, random = Math.random } = {}) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.factor = factor;
    this.jitter = jitter;
    this.random = random;
    this.attempt = 0;
  }

  // Delay before the next attempt; each call counts one attempt.
  next() {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt += 1;
    const spread = 1 - this.jitter + 2 * this.jitter * this.random();
    return Math.round(Math.min(this.maxMs, base * spread));
  }

  // After a successful login the next drop starts from the short delay again.
  reset() {
    this.attempt = 0;
  }
}
