import type { CookieStore, SessionOptions, SessionStore } from '@tessera/core'
import { afterAll, afterEach, describe, it } from 'vitest'
import { ADAPTERS } from './adapters.js'
import { checkTitle, type SecurityCheck } from './checks.js'
import type { SecurityAdapter, SecurityApp } from './security-app.js'
import { SUITE_SECRET } from './session-cookies.js'
import type { StoreFixture, StoreFixtures } from './store-fixtures.js'

/** Options a check adds to the suite's base options; `store` defaults to a new one. */
export type AppOverrides = Partial<SessionOptions> & Record<string, unknown>

/** One adapter × store combination, as the checks of one `describe` use it. */
export interface Combination {
  readonly adapter: SecurityAdapter
  readonly store: StoreFixture
  /**
   * Starts an app with the suite's base options (`SUITE_SECRET`, `cookie: { secure: false }`,
   * a new store of this kind) and `overrides`; it is closed after the test.
   */
  start(overrides?: AppOverrides): Promise<SecurityApp>
  /** A new store of this combination's kind, to share between apps (`start({ store })`). */
  newStore(): SessionStore | CookieStore
}

/**
 * Declares one `describe` per adapter × store (`express 5 × RedisStore`) and runs `body` in
 * each; releases the fixtures after the file. A store that could not be set up (no Redis)
 * gets one skipped test saying so, after the loud line `requireRedis` printed (under
 * `CI=true` that was a failure instead).
 */
export function describeCombinations(
  fixtures: StoreFixtures,
  body: (combination: Combination) => void,
): void {
  afterAll(() => fixtures.release())
  for (const adapter of ADAPTERS) {
    for (const store of fixtures.all) {
      describe(`${adapter.name} × ${store.label}`, () => {
        const started: SecurityApp[] = []
        afterEach(async () => {
          await Promise.all(started.splice(0).map((app) => app.close()))
        })
        body({
          adapter,
          store,
          newStore: () => store.create(),
          async start(overrides = {}) {
            const { cookie, ...rest } = overrides
            const app = await adapter.start({
              secret: SUITE_SECRET,
              store: store.create(),
              ...rest,
              cookie: { secure: false, ...(cookie as SessionOptions['cookie']) },
            } as SessionOptions)
            started.push(app)
            return app
          },
        })
      })
    }
    for (const missing of fixtures.missing) {
      describe(`${adapter.name} × ${missing.label}`, () => {
        it.skip(`every check — skipped: ${missing.reason}`, () => {})
      })
    }
  }
}

/**
 * Declares the test of `check` for `combination`: run, or skipped with the reason in its
 * title when the check does not apply to the combination's store.
 */
export function check(
  combination: Combination,
  securityCheck: SecurityCheck,
  body: () => Promise<void>,
  timeoutMs?: number,
): void {
  const reason = securityCheck.notApplicable?.(combination.store) ?? null
  if (reason !== null) {
    it.skip(`${checkTitle(securityCheck)} — not applicable to ${combination.store.label}: ${reason}`, () => {})
    return
  }
  it(checkTitle(securityCheck), body, timeoutMs)
}
