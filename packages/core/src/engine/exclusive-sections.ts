import {
  SessionFeatureUnsupportedError,
  SessionLockedError,
  type StoreOperation,
} from '../errors.js'
import { parseDuration } from '../options/duration.js'
import type { ResolvedSessionOptions } from '../options/resolved-session-options.js'
import type { Duration } from '../options/session-options.js'
import type { SessionStore } from '../stores/session-store.js'

type StoreCall = <T>(operation: StoreOperation, run: () => Promise<T>) => Promise<T>

/**
 * Options of `session.exclusive()` (and the engine's `exclusive` defaults).
 *
 * @example
 * ```ts
 * await session.exclusive(async () => {
 *   if (session.get('charged')) return
 *   await payments.charge(order) // runs at most once at a time for this session
 *   session.set('charged', true)
 * }, { wait: '2s', lease: '15s' })
 * ```
 */
export interface ExclusiveOptions {
  /** How long to wait for another request's section to end. Default `'5s'`. */
  wait?: Duration
  /**
   * How long the lease lasts if this process dies inside the section (it is released as soon
   * as the section ends). Longer than the section can take. Default `'30s'`.
   */
  lease?: Duration
}

/** Resolved {@link ExclusiveOptions}. */
export interface ResolvedExclusiveOptions {
  waitMs: number
  leaseMs: number
}

const DEFAULTS: ResolvedExclusiveOptions = { waitMs: 5_000, leaseMs: 30_000 }

/** Validates `exclusive` options; `where` names them in errors. */
export function resolveExclusiveOptions(
  options: ExclusiveOptions | undefined,
  base: ResolvedExclusiveOptions = DEFAULTS,
  where = 'exclusive',
): ResolvedExclusiveOptions {
  if (options === undefined) return base
  return {
    waitMs: options.wait === undefined ? base.waitMs : parseDuration(`${where}.wait`, options.wait),
    leaseMs:
      options.lease === undefined ? base.leaseMs : parseDuration(`${where}.lease`, options.lease),
  }
}

/**
 * Why exclusive sections cannot work with these options (`undefined`: they can): CookieStore
 * keeps no server state, and a store needs `lock()`/`unlock()`.
 */
export function leasesUnavailable(
  store: SessionStore,
  cookieSealKeys: readonly string[] | null,
): string | undefined {
  if (cookieSealKeys !== null) {
    return 'CookieStore keeps no server state to hold a lease in; use a server-side store.'
  }
  if (typeof store.lock !== 'function' || typeof store.unlock !== 'function') {
    return `the store (${store.constructor?.name ?? 'custom'}) has no lock()/unlock() (leases); the stores of @tessera/redis, @tessera/kysely, @tessera/mongodb, @tessera/file and MemoryStore have them.`
  }
  return undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Mutual exclusion per session, through the store's leases (`lock`/`unlock`): for work a
 * conflict replay must not repeat (charging a card, sending a mail).
 */
export class ExclusiveSections {
  constructor(
    private readonly options: Readonly<ResolvedSessionOptions>,
    private readonly storeCall: StoreCall,
  ) {}

  /** Throws `SessionFeatureUnsupportedError` (501) when the store has no leases. */
  assertSupported(): {
    lock: NonNullable<SessionStore['lock']>
    unlock: NonNullable<SessionStore['unlock']>
  } {
    const { store, cookieSealKeys } = this.options
    const reason = leasesUnavailable(store, cookieSealKeys)
    if (reason !== undefined || !store.lock || !store.unlock) {
      throw new SessionFeatureUnsupportedError('session.exclusive()', reason ?? 'no leases.')
    }
    return { lock: store.lock.bind(store), unlock: store.unlock.bind(store) }
  }

  /**
   * Runs `section` holding the lease on `key`; waits up to `waitMs` for it. `leases` is what
   * {@link ExclusiveSections.assertSupported} returned (checked once, before anything is saved).
   */
  async run<T>(
    leases: ReturnType<ExclusiveSections['assertSupported']>,
    key: string,
    section: () => Promise<T>,
    options: ResolvedExclusiveOptions,
  ): Promise<T> {
    const { lock, unlock } = leases
    const deadline = this.options.now() + options.waitMs
    let pause = 5
    let token: string | null = null
    for (;;) {
      token = await this.storeCall('lock', () => lock(key, options.leaseMs))
      if (token !== null) break
      const left = deadline - this.options.now()
      if (left <= 0) throw new SessionLockedError(options.waitMs)
      // Jittered backoff, so waiting requests do not poll the store in step.
      await sleep(Math.min(left, pause * (0.5 + Math.random())))
      pause = Math.min(pause * 2, 100)
    }
    try {
      return await section()
    } finally {
      const held = token
      await this.storeCall('unlock', () => unlock(key, held)).catch(() => {
        // The lease expires by itself; a failed release only delays the next holder.
      })
    }
  }
}
