/**
 * A clock tests move forward: the engine's `now` option and the cookie jar share it, so
 * timeouts can be crossed without waiting. Stores keep their own clock (real time), so a
 * record the engine has expired is still in the store: the engine, not the store TTL, decides.
 */
export class TestClock {
  #offset = 0

  /** Milliseconds since the epoch, moved by {@link TestClock.advance}. */
  readonly now = (): number => Date.now() + this.#offset

  advance(ms: number): void {
    this.#offset += ms
  }
}
