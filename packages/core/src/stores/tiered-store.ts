import { SessionConfigError } from '../errors.js'
import { parseDuration } from '../options/duration.js'
import { assertSessionStore } from './assert-session-store.js'
import type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'
import { TieredCache } from './tiered-cache.js'
import type { TieredStoreOptions } from './tiered-store-options.js'

export { CacheTimeoutError } from './cache-timeout-error.js'
export type { CacheOperation, TieredStoreOptions } from './tiered-store-options.js'

const DEFAULT_CACHE_TTL = '10m'
const DEFAULT_CACHE_TIMEOUT = '250ms'

/**
 * A {@link SessionStore} made of two: a fast `cache` (Redis, memory) in front of a durable
 * `primary` (PostgreSQL, MySQL), like Django's `cached_db` backend, without its lost updates.
 *
 * - Reads come from the cache; on a miss the primary answers and the cache is refilled.
 * - Writes go to the primary first, which alone decides the conditional write; then the
 *   cache's copy is moved forward. A write the primary refuses corrects the cache from the
 *   primary, so the engine's re-read after a conflict sees the version it lost to.
 * - `touch` and `destroy` go to the primary, then the cache; a destroyed key is fenced in the
 *   cache, so a copy read before the destroy cannot bring the session back.
 * - The cache never fails a request the primary can answer: a cache failure or timeout
 *   (`cacheTimeout`) is reported to `onCacheError` and the primary answers.
 * - `listByUser`, `destroyByUser`, `prune` and the leases (`lock`/`unlock`) are the primary's, present only when the
 *   primary has them (`destroyByUser` also needs `listByUser` in the primary or the cache, to
 *   find the copies it must fence; `prune` also prunes the cache, when it can). `ready()`
 *   checks both stores; `close()` closes both stores (never the clients you passed them).
 *
 * A stale copy (one the cache kept through a failure) can be served for at most `cacheTtl`;
 * it can never win a write, since the primary decides every write and the lost write
 * corrects the copy. See the core README's "Composing stores" for the whole argument.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore, TieredStore } from '@tessera/core'
 *
 * // In production: a RedisStore as the cache, a KyselyStore as the primary.
 * const store = new TieredStore({ cache: new MemoryStore(), primary: new MemoryStore() })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 * ```
 */
export class TieredStore implements SessionStore {
  readonly #primary: SessionStore
  readonly #cache: TieredCache

  declare readonly listByUser?: (userId: string) => Promise<KeyedStoredSession[]>
  declare readonly destroyByUser?: (userId: string, exceptKey?: string) => Promise<number>
  declare readonly prune?: () => Promise<number>
  declare readonly lock?: (key: string, leaseMs: number) => Promise<string | null>
  declare readonly unlock?: (key: string, token: string) => Promise<void>

  constructor(options: TieredStoreOptions) {
    const { cache, primary } = options
    assertSessionStore('cache', cache)
    assertSessionStore('primary', primary)
    if (cache === primary) {
      throw new SessionConfigError(
        'cache',
        'the cache and the primary are the same store. Give the cache a store of its own (another RedisStore prefix, a MemoryStore).',
      )
    }
    const ttlMs = parseDuration('cacheTtl', options.cacheTtl ?? DEFAULT_CACHE_TTL)
    const timeoutMs = parseDuration('cacheTimeout', options.cacheTimeout ?? DEFAULT_CACHE_TIMEOUT)
    this.#primary = primary
    this.#cache = new TieredCache(cache, ttlMs, timeoutMs, options.onCacheError)

    // The engine detects capabilities by presence: define exactly what the primary has, but
    // destroyByUser only when the revoked sessions' copies can be found (listed by the primary
    // beforehand, or by the cache): a revoked copy left in the cache would stay signed in for
    // `cacheTtl`. Without it, the engine reports revoking by user as unsupported.
    const { listByUser, destroyByUser, prune } = primary
    if (listByUser) {
      this.listByUser = (userId) => listByUser.call(primary, userId)
    }
    if (destroyByUser && (listByUser || cache.listByUser)) {
      this.destroyByUser = (userId, exceptKey) =>
        this.#destroyByUser(destroyByUser.bind(primary), userId, exceptKey)
    }
    if (prune) {
      this.prune = async () => {
        const removed = await prune.call(primary)
        await this.#cache.prune()
        return removed
      }
    }
    // Leases are decided where writes are: the primary's.
    const { lock, unlock } = primary
    if (lock && unlock) {
      this.lock = (key, leaseMs) => lock.call(primary, key, leaseMs)
      this.unlock = (key, token) => unlock.call(primary, key, token)
    }
  }

  async get(key: string): Promise<StoredSession | null> {
    const cached = await this.#cache.lookup(key)
    if (cached.state === 'hit') return cached.record
    if (cached.state === 'bypass') return this.#primary.get(key)
    // The lease goes down before the primary is read: a write landing in between voids it.
    const claimed = await this.#cache.claim(key)
    const record = await this.#primary.get(key)
    if (record !== null && claimed !== null) await this.#cache.fill(key, record, claimed)
    return record
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    const observedAt = Date.now()
    let written: boolean
    try {
      written = await this.#primary.set(key, record, expected)
    } catch (error) {
      // A timed-out write may still have landed: the copy may be stale from now on.
      await this.#cache.forget(key)
      throw error
    }
    if (written) {
      await this.#cache.advance(key, record, observedAt, expected)
    } else {
      await this.#correct(key)
    }
    return written
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    await this.#primary.touch(key, expiresAt)
    await this.#cache.retime(key, expiresAt)
  }

  async destroy(key: string): Promise<void> {
    try {
      await this.#primary.destroy(key)
    } finally {
      // Even when the primary failed: the destroy may have landed, and a copy must not outlive it.
      await this.#cache.forget(key)
    }
  }

  async ready(): Promise<void> {
    await this.#primary.ready?.()
    await this.#cache.ready()
  }

  /** Calls both stores' `close()`; the clients they were given stay open. */
  async close(): Promise<void> {
    try {
      await this.#cache.close()
    } finally {
      await this.#primary.close?.()
    }
  }

  /**
   * The primary refused a write: its record is newer than the one the caller read (perhaps
   * from a stale copy), or gone. Bring the cache to what the primary holds, so the engine's
   * re-read sees it; if the primary cannot say, fence the key.
   */
  async #correct(key: string): Promise<void> {
    const observedAt = Date.now()
    let current: StoredSession | null
    try {
      current = await this.#primary.get(key)
    } catch {
      // The write itself succeeded in telling us "no"; the re-read will report the outage.
      await this.#cache.forget(key)
      return
    }
    if (current === null) await this.#cache.forget(key)
    else await this.#cache.advance(key, current, observedAt)
  }

  /**
   * Revokes in the primary, then fences the revoked sessions' copies: those the primary listed
   * for the user beforehand, and those the cache lists afterwards (when it can list).
   */
  async #destroyByUser(
    destroyByUser: (userId: string, exceptKey?: string) => Promise<number>,
    userId: string,
    exceptKey?: string,
  ): Promise<number> {
    const listed = this.listByUser ? await this.listByUser(userId) : []
    try {
      return await destroyByUser(userId, exceptKey)
    } finally {
      await this.#cache.forgetUser(
        userId,
        listed.map((record) => record.key),
        exceptKey,
      )
    }
  }
}
