/**
 * A clock that only moves when the test moves it, from {@link manualClock}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 * import { exchange, manualClock } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 *
 * it('an idle session expires after idleTimeout', async () => {
 *   const clock = manualClock()
 *   const engine = createSessionEngine({
 *     secret: 'a-secret-of-at-least-32-characters!!',
 *     store: new MemoryStore(),
 *     idleTimeout: '30m',
 *     now: clock.now,
 *   })
 *   const { cookie } = await exchange(engine, undefined, (session) => session.set('n', 1))
 *   clock.advance(31 * 60_000)
 *   await exchange(engine, cookie, (session) => expect(session.isNew).toBe(true))
 * })
 * ```
 */
export interface ManualClock {
  /** The current time in ms since the epoch; pass it as the engine's `now` option. */
  now(): number
  /** Moves the clock forward (or back, with a negative `ms`). */
  advance(ms: number): void
}

/**
 * A clock tests move by hand, starting at `start` (default: the real time when called), for
 * expiry and touch-throttling tests that must not wait for real time to pass.
 */
export function manualClock(start: number = Date.now()): ManualClock {
  let current = start
  return {
    now: () => current,
    advance(ms: number) {
      current += ms
    },
  }
}
