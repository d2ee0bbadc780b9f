import { parseDuration } from './duration.js'
import { SessionConfigError } from './errors.js'
import type { MemoryStoreOptions } from './memory-store-options.js'
import type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'

const DEFAULT_MAX_ENTRIES = 10_000
const DEFAULT_SWEEP_INTERVAL = '1m'

/** A stored record; private to the store, never handed out (callers get copies). */
interface Entry {
  payload: string
  version: number
  expiresAt: number
  userId: string | null
}

type Timer = ReturnType<typeof setInterval>

/**
 * A {@link SessionStore} in this process's memory: bounded (least recently used sessions are
 * evicted beyond `maxEntries`), swept of expired sessions, and fast (a read is one `Map`
 * lookup and a copy; nothing is serialized). It has the whole contract, including the
 * per-user index and `prune()`.
 *
 * For one process only: sessions are not shared between processes, workers or servers,
 * and are lost on restart. Use it for development, tests, benchmarks and single-instance
 * apps; use a shared store (Redis, SQL, MongoDB, files) behind a load balancer or cluster.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new MemoryStore({ maxEntries: 50_000 }),
 * })
 * ```
 */
export class MemoryStore implements SessionStore {
  /** Records by key, least recently used first (a `Map` keeps insertion order). */
  readonly #entries = new Map<string, Entry>()
  /** Keys by user id. */
  readonly #byUser = new Map<string, Set<string>>()
  readonly #maxEntries: number
  readonly #sweepMs: number | null
  #timer: Timer | undefined
  #closed = false

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
    if (
      !(maxEntries === Number.POSITIVE_INFINITY || (Number.isInteger(maxEntries) && maxEntries > 0))
    ) {
      throw new SessionConfigError(
        'maxEntries',
        `expected a positive integer or Infinity; got ${String(maxEntries)}.`,
      )
    }
    this.#maxEntries = maxEntries
    const sweep = options.sweepInterval ?? DEFAULT_SWEEP_INTERVAL
    this.#sweepMs = sweep === false ? null : parseDuration('sweepInterval', sweep)
  }

  /** How many records the store holds, including expired ones not yet swept. */
  get size(): number {
    return this.#entries.size
  }

  async get(key: string): Promise<StoredSession | null> {
    const entry = this.#entries.get(key)
    if (entry === undefined) return null
    if (entry.expiresAt <= Date.now()) {
      this.#remove(key, entry)
      return null
    }
    this.#markUsed(key, entry)
    return {
      payload: entry.payload,
      version: entry.version,
      expiresAt: entry.expiresAt,
      userId: entry.userId,
    }
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    const current = this.#live(key)
    if (expected === null ? current !== undefined : current?.version !== expected) return false
    const entry: Entry = {
      payload: record.payload,
      version: record.version,
      expiresAt: record.expiresAt,
      userId: record.userId ?? null,
    }
    if (current === undefined) {
      while (this.#entries.size >= this.#maxEntries) this.#evictLeastRecentlyUsed()
    } else {
      this.#entries.delete(key)
      if (current.userId !== entry.userId) this.#unindex(key, current.userId)
    }
    this.#entries.set(key, entry)
    this.#index(key, entry.userId)
    this.#startSweep()
    return true
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const entry = this.#live(key)
    if (entry === undefined) return
    entry.expiresAt = expiresAt
    this.#markUsed(key, entry)
  }

  async destroy(key: string): Promise<void> {
    const entry = this.#entries.get(key)
    if (entry !== undefined) this.#remove(key, entry)
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    const keys = this.#byUser.get(userId)
    if (keys === undefined) return []
    const now = Date.now()
    const out: KeyedStoredSession[] = []
    for (const key of [...keys]) {
      const entry = this.#entries.get(key)
      if (entry === undefined) continue
      if (entry.expiresAt <= now) {
        this.#remove(key, entry)
        continue
      }
      out.push({
        key,
        payload: entry.payload,
        version: entry.version,
        expiresAt: entry.expiresAt,
        userId: entry.userId,
      })
    }
    return out
  }

  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const keys = this.#byUser.get(userId)
    if (keys === undefined) return 0
    const now = Date.now()
    let removed = 0
    for (const key of [...keys]) {
      if (key === exceptKey) continue
      const entry = this.#entries.get(key)
      if (entry === undefined) continue
      if (entry.expiresAt > now) removed++
      this.#remove(key, entry)
    }
    return removed
  }

  async prune(): Promise<number> {
    return this.#sweep()
  }

  /** Stops the background sweep. The store keeps working; expired records still read as absent. */
  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }

  /** The entry under `key` if it is live; an expired one is removed on the way. */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= Date.now()) {
      this.#remove(key, entry)
      return undefined
    }
    return entry
  }

  /** Moves `key` to the most recently used end of the `Map`. */
  #markUsed(key: string, entry: Entry): void {
    this.#entries.delete(key)
    this.#entries.set(key, entry)
  }

  #evictLeastRecentlyUsed(): void {
    const oldest = this.#entries.keys().next()
    if (oldest.done) return
    const entry = this.#entries.get(oldest.value) as Entry
    this.#remove(oldest.value, entry)
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key)
    this.#unindex(key, entry.userId)
  }

  #index(key: string, userId: string | null): void {
    if (userId === null) return
    const keys = this.#byUser.get(userId)
    if (keys === undefined) this.#byUser.set(userId, new Set([key]))
    else keys.add(key)
  }

  #unindex(key: string, userId: string | null): void {
    if (userId === null) return
    const keys = this.#byUser.get(userId)
    if (keys === undefined) return
    keys.delete(key)
    if (keys.size === 0) this.#byUser.delete(userId)
  }

  #sweep(): number {
    const now = Date.now()
    let removed = 0
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#remove(key, entry)
        removed++
      }
    }
    return removed
  }

  /**
   * Starts the sweep timer on the first write rather than in the constructor: edge runtimes
   * forbid timers at module scope, where a store is usually created.
   */
  #startSweep(): void {
    if (this.#timer !== undefined || this.#closed || this.#sweepMs === null) return
    // The timer holds the store weakly, so a store dropped without close() is still collected
    // (and its timer stops with it).
    const ref =
      typeof WeakRef === 'function' ? new WeakRef<MemoryStore>(this) : { deref: () => this }
    const timer: Timer = setInterval(() => {
      const store = ref.deref()
      if (store === undefined) clearInterval(timer)
      else store.#sweep()
    }, this.#sweepMs)
    const handle: unknown = timer
    if (
      typeof handle === 'object' &&
      handle !== null &&
      'unref' in handle &&
      typeof handle.unref === 'function'
    ) {
      handle.unref()
    }
    this.#timer = timer
  }
}
