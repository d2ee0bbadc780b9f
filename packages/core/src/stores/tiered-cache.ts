import { SessionStoreConfigError } from '../errors.js'
import { CacheTimeoutError } from './cache-timeout-error.js'
import type { SessionStore, StoredSession } from './session-store.js'
import { cachedCopy, fence, lease, readCacheRecord } from './tiered-cache-entry.js'
import type { CacheOperation } from './tiered-store-options.js'

/** A cache call that failed or timed out; already reported to `onCacheError`. */
const FAILED: unique symbol = Symbol('cache call failed')
type Outcome<T> = T | typeof FAILED

/** What the cache holds for a key, as far as a read is concerned. */
export type CacheLookup =
  /** A live copy: serve it. */
  | { state: 'hit'; record: StoredSession }
  /** Nothing cached: ask the primary, and a refill may store its answer. */
  | { state: 'miss' }
  /** Fenced, foreign or unreachable: ask the primary, and write nothing back. */
  | { state: 'bypass' }

const MISS: CacheLookup = { state: 'miss' }
const BYPASS: CacheLookup = { state: 'bypass' }

/** Conditional cache writes retried against concurrent cache writers before giving up. */
const CAS_ATTEMPTS = 4

/** How long a lease may wait for its refill; a read that dies leaves it at most this long. */
const MAX_LEASE_MS = 5_000

/**
 * How long a voided lease stays. Any lease but the read's own makes its refill fail, even an
 * expired one (an expired record is absent, and a refill expects the lease), so this is only
 * how soon the next read may try again: a lease that lived `MAX_LEASE_MS` here would keep a
 * session written more often than that out of the cache for good.
 */
const VOID_LEASE_MS = 100

/**
 * The cache side of a {@link TieredStore}: every cache call under `cacheTimeout`, failures
 * reported and absorbed, and the rules that keep copies from going stale.
 *
 * - The cache only moves forward: a write replaces a copy only if its version is higher
 *   (a conditional write on the cache's own version), so copies landing out of order never
 *   put an older version back.
 * - Only two writes fill an empty key. A refill replaces the lease its read put down before
 *   asking the primary, so a write, a destroy or an eviction in between makes it fail (every
 *   write that meets a lease voids it: replaces it with a short-lived lease nobody holds). A create writes the first
 *   version, which nothing can have overtaken: its cookie is sent only after the write.
 * - A destroy leaves a fence for `cacheTtl`, not an empty key. A copy from a write older than
 *   half of `cacheTtl` is not written (the key is fenced instead), so it cannot land after
 *   the fence of a destroy it predates has expired.
 *
 * Whenever a rule cannot be applied (the cache fails, or keeps changing under a conditional
 * write), the key is fenced, and failing that deleted: reads then go to the primary.
 */
export class TieredCache {
  readonly #cache: SessionStore
  readonly #ttlMs: number
  readonly #leaseMs: number
  readonly #timeoutMs: number
  readonly #onError: ((error: unknown, operation: CacheOperation) => void) | undefined

  constructor(
    cache: SessionStore,
    ttlMs: number,
    timeoutMs: number,
    onError: ((error: unknown, operation: CacheOperation) => void) | undefined,
  ) {
    this.#cache = cache
    this.#ttlMs = ttlMs
    this.#leaseMs = Math.min(ttlMs, MAX_LEASE_MS)
    this.#timeoutMs = timeoutMs
    this.#onError = onError
  }

  async lookup(key: string): Promise<CacheLookup> {
    const cached = await this.#call('get', () => this.#cache.get(key))
    if (cached === FAILED) return BYPASS
    if (cached === null) return MISS
    const entry = readCacheRecord(cached)
    // The copy's own expiry is never later than the session's, so a copy past the session's
    // expiry only shows up with a skewed clock: the primary decides.
    if (entry.kind === 'session' && entry.record.expiresAt > Date.now()) {
      return { state: 'hit', record: entry.record }
    }
    return BYPASS
  }

  /**
   * Puts a lease on an empty key, before the primary is read; returns its version for
   * {@link fill}, or null when another read holds one (that read refills).
   */
  async claim(key: string): Promise<number | null> {
    const marker = lease(Date.now() + this.#leaseMs)
    const claimed = await this.#call('set', () => this.#cache.set(key, marker, null))
    return claimed === true ? marker.version : null
  }

  /** Replaces the lease `claimed` with what the primary answered, unless it was replaced first. */
  async fill(key: string, record: StoredSession, claimed: number): Promise<void> {
    // false or a failure: the lease is gone or stays until it expires; never a stale copy.
    await this.#call('set', () => this.#cache.set(key, this.#copy(record), claimed))
  }

  /**
   * Moves the cached copy forward to `record`, which the primary holds since `observedAt`
   * (when the write that stored it, or the read that found it, began). `expected` is the
   * version the primary write replaced, tried first (the cache usually holds it); without
   * it, the cache's version is read first.
   */
  async advance(
    key: string,
    record: StoredSession,
    observedAt: number,
    expected?: number | null,
  ): Promise<void> {
    if (expected !== undefined) {
      if (this.#tooOld(observedAt)) return this.forget(key)
      const written = await this.#call('set', () =>
        this.#cache.set(key, this.#copy(record), expected),
      )
      if (written === true) return
      if (written === FAILED) return this.forget(key)
    }
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const cached = await this.#call('get', () => this.#cache.get(key))
      if (cached === FAILED) return this.forget(key)
      // Nothing cached: the next read refills it from the primary.
      if (cached === null) return
      const entry = readCacheRecord(cached)
      let next: StoredSession
      if (entry.kind === 'session' && entry.record.version < record.version) {
        next = this.#copy(record)
      } else if (entry.kind === 'lease') {
        // A read is about to refill from what may be an older version: void its lease. Not
        // our copy instead: the lease may be a read's that began after a newer write.
        next = voidedLease()
      } else {
        return // as new or newer, a fence, or not ours
      }
      if (this.#tooOld(observedAt)) return this.forget(key)
      const written = await this.#call('set', () => this.#cache.set(key, next, cached.version))
      if (written === true) return
      if (written === FAILED) return this.forget(key)
    }
    await this.forget(key)
  }

  /**
   * Gives the cached copy the expiry the primary was just touched to. The copy's own
   * lifetime in the cache is never extended: `cacheTtl` counts from when it was written.
   */
  async retime(key: string, expiresAt: number): Promise<void> {
    const cached = await this.#call('get', () => this.#cache.get(key))
    if (cached === FAILED) return this.forget(key)
    if (cached === null) return
    const entry = readCacheRecord(cached)
    let next: StoredSession
    if (entry.kind === 'session')
      next = cachedCopy({ ...entry.record, expiresAt }, cached.expiresAt)
    else if (entry.kind === 'lease') next = voidedLease()
    else return
    const written = await this.#call('set', () => this.#cache.set(key, next, cached.version))
    // false: a write replaced the copy meanwhile, with the expiry it gave the primary.
    if (written === FAILED) await this.forget(key)
  }

  /**
   * Fences `key` for `cacheTtl`: reads go to the primary and nothing is cached for it, so no
   * copy older than this call can come back. Failing that, deletes the key.
   */
  async forget(key: string): Promise<void> {
    const marker = fence(Date.now() + this.#ttlMs)
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const cached = await this.#call('get', () => this.#cache.get(key))
      if (cached === FAILED) break
      const written = await this.#call('set', () =>
        this.#cache.set(key, marker, cached?.version ?? null),
      )
      if (written === true) return
      if (written === FAILED) break
    }
    // An empty key is the next best thing; if this fails too, a stale copy is served until its
    // own expiry in the cache, at most `cacheTtl` after it was written.
    await this.#call('destroy', () => this.#cache.destroy(key))
  }

  /** Fences `keys` and every key the cache lists for `userId`, but `exceptKey`. */
  async forgetUser(userId: string, keys: Iterable<string>, exceptKey?: string): Promise<void> {
    const all = new Set(keys)
    const listByUser = this.#cache.listByUser
    if (listByUser) {
      const listed = await this.#call('listByUser', () => listByUser.call(this.#cache, userId))
      if (listed !== FAILED) for (const record of listed) all.add(record.key)
    }
    all.delete(exceptKey ?? '')
    await Promise.all([...all].map((key) => this.forget(key)))
  }

  /** Prunes the cache, for a cache without native expiry; a failure is only reported. */
  async prune(): Promise<void> {
    const prune = this.#cache.prune
    if (prune) await this.#call('prune', () => prune.call(this.#cache))
  }

  /** A setup mistake in the cache fails; an outage is reported and the primary carries on. */
  async ready(): Promise<void> {
    const ready = this.#cache.ready
    if (!ready) return
    try {
      await this.#bounded('ready', () => ready.call(this.#cache))
    } catch (error) {
      if (error instanceof SessionStoreConfigError) throw error
      this.#report(error, 'ready')
    }
  }

  async close(): Promise<void> {
    await this.#cache.close?.()
  }

  #copy(record: StoredSession): StoredSession {
    return cachedCopy(record, Date.now() + this.#ttlMs)
  }

  #tooOld(observedAt: number): boolean {
    return Date.now() - observedAt > this.#ttlMs / 2
  }

  async #call<T>(operation: CacheOperation, run: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return await this.#bounded(operation, run)
    } catch (error) {
      this.#report(error, operation)
      return FAILED
    }
  }

  async #bounded<T>(operation: CacheOperation, run: () => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CacheTimeoutError(operation, this.#timeoutMs)),
        this.#timeoutMs,
      )
    })
    try {
      // A call that answers after the timeout is ignored (race keeps a handler on it).
      return await Promise.race([Promise.resolve().then(run), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  #report(error: unknown, operation: CacheOperation): void {
    try {
      this.#onError?.(error, operation)
    } catch {
      // A failing logger must not fail the request the cache failure did not fail.
    }
  }
}

/** A lease no read holds: put over a read's lease, so that its refill fails. */
function voidedLease(): StoredSession {
  return lease(Date.now() + VOID_LEASE_MS)
}
