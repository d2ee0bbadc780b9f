import { SessionConfigError } from '../errors.js'
import { parseDuration } from '../options/duration.js'
import type { MemoryStoreOptions } from './memory-store-options.js'
import type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'

const DEFAULT_MAX_ENTRIES = 10_000
const DEFAULT_SWEEP_INTERVAL = '1m'

/** A stored record; private to the store, never handed out (callers get copies). */
interface Entry {
  key: string
  payload: string
  version: number
  expiresAt: number
  userId: string | null
  /** Recency list: `older` is toward the least recently used end. */
  older: Entry | null
  newer: Entry | null
}

/** An exclusive-section lease; kept apart from the records (a lease is not a session). */
interface Lease {
  token: string
  expiresAt: number
}

type Timer = ReturnType<typeof setInterval>

/**
 * A {@link SessionStore} in this process's memory: bounded (least recently used sessions are
 * evicted beyond `maxEntries`), swept of expired sessions, and fast (a read is one `Map`
 * lookup and a copy; nothing is serialized). It has the whole contract, including the
 * per-user index, `prune()` and exclusive-section leases (`lock()`/`unlock()`).
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
  /** Records by key. */
  readonly #entries = new Map<string, Entry>()
  /**
   * Recency as a doubly linked list through the entries. Re-inserting into the `Map` to move
   * a key to the end would be simpler, but V8 leaves a hole per delete and, on a large map,
   * rehashes so often that each request pays for it (measured: 5 µs became 40 µs at 12k).
   */
  #leastRecent: Entry | null = null
  #mostRecent: Entry | null = null
  /** Keys by user id. */
  readonly #byUser = new Map<string, Set<string>>()
  /** Leases by key; never bounded by `maxEntries`, since evicting one would break exclusivity. */
  readonly #leases = new Map<string, Lease>()
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
    const userId = record.userId ?? null
    if (current === undefined) {
      while (this.#entries.size >= this.#maxEntries) this.#evictLeastRecentlyUsed()
      const entry: Entry = {
        key,
        payload: record.payload,
        version: record.version,
        expiresAt: record.expiresAt,
        userId,
        older: null,
        newer: null,
      }
      this.#entries.set(key, entry)
      this.#append(entry)
      this.#index(key, userId)
    } else {
      if (current.userId !== userId) {
        this.#unindex(key, current.userId)
        this.#index(key, userId)
      }
      current.payload = record.payload
      current.version = record.version
      current.expiresAt = record.expiresAt
      current.userId = userId
      this.#markUsed(key, current)
    }
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

  async lock(key: string, leaseMs: number): Promise<string | null> {
    checkLeaseMs(leaseMs)
    const now = Date.now()
    const held = this.#leases.get(key)
    if (held !== undefined && held.expiresAt > now) return null
    const token = globalThis.crypto.randomUUID()
    this.#leases.set(key, { token, expiresAt: now + leaseMs })
    this.#startSweep()
    return token
  }

  async unlock(key: string, token: string): Promise<void> {
    if (this.#leases.get(key)?.token === token) this.#leases.delete(key)
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

  /** Moves an entry to the most recently used end. */
  #markUsed(_key: string, entry: Entry): void {
    if (this.#mostRecent === entry) return
    this.#unlink(entry)
    this.#append(entry)
  }

  #append(entry: Entry): void {
    entry.older = this.#mostRecent
    entry.newer = null
    if (this.#mostRecent) this.#mostRecent.newer = entry
    else this.#leastRecent = entry
    this.#mostRecent = entry
  }

  #unlink(entry: Entry): void {
    if (entry.older) entry.older.newer = entry.newer
    else this.#leastRecent = entry.newer
    if (entry.newer) entry.newer.older = entry.older
    else this.#mostRecent = entry.older
    entry.older = null
    entry.newer = null
  }

  #evictLeastRecentlyUsed(): void {
    const oldest = this.#leastRecent
    if (oldest) this.#remove(oldest.key, oldest)
  }

  #remove(key: string, entry: Entry): void {
    this.#entries.delete(key)
    this.#unlink(entry)
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

  /** Removes expired records (returns how many) and expired leases (not counted: not records). */
  #sweep(): number {
    const now = Date.now()
    let removed = 0
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#remove(key, entry)
        removed++
      }
    }
    for (const [key, lease] of this.#leases) {
      if (lease.expiresAt <= now) this.#leases.delete(key)
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

function checkLeaseMs(leaseMs: number): void {
  if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
    throw new RangeError(
      `lock() needs leaseMs, a positive finite number of milliseconds; got ${String(leaseMs)}.`,
    )
  }
}
