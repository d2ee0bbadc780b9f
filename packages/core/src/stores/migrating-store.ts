import { SessionConfigError } from '../errors.js'
import { assertSessionStore } from './assert-session-store.js'
import type { MigratingStoreOptions } from './migrating-store-options.js'
import type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'

export type { MigratingStoreOptions } from './migrating-store-options.js'

/**
 * A {@link SessionStore} that moves sessions from one store to another while the app runs,
 * so switching stores (files to Redis, Redis to PostgreSQL) signs nobody out.
 *
 * - Reads ask `to` first; a session found only in `from` is moved on that first read: a
 *   create-only write of the same record (same version) in `to`, then a delete in `from`.
 * - Writes go to `to`. A conditional write for a session still only in `from` moves it first,
 *   then writes, so it wins or loses exactly as it would have in `from`.
 * - `destroy`, `touch`, `destroyByUser` and `prune` act on both; `listByUser` lists both.
 *   `listByUser` and `destroyByUser` are present only when both stores have them (a session
 *   still in the other store would be missed); `prune` when either has it, and it prunes
 *   those that have it (a store with native expiry has none).
 *
 * Concurrency, the whole argument:
 * - Two requests moving one session: the create-only write in `to` lets exactly one win. The
 *   other reads `to` and returns what the winner wrote (or wrote since): one copy, never two,
 *   and nothing lost. Only the winner deletes the old record.
 * - A read never misses a session in the middle of a move: the move writes `to` before it
 *   deletes from `from`, and a read that finds neither asks `to` once more.
 * - A write racing a move: the engine writes only versions it read, and it reads a session
 *   only after moving it, so its write is a plain conditional write in `to`. A caller that
 *   read `from` directly is handled too: its write to `to` fails, the record is found in
 *   `from` at the expected version, moved, and the write tried again in `to`; if another
 *   request moved and changed it first, the write fails as a conflict, as it must.
 * - A destroy racing a move: `destroy` deletes in `from`, then in `to`. The mover, after its
 *   create-only write, checks that the record is still in `from`; if it is gone, a destroy
 *   ran, and the mover deletes its copy in `to`. Either the destroy's delete in `to` comes
 *   after the copy, or the check comes after the destroy's delete in `from`: the session is
 *   never brought back. `destroyByUser` works the same way.
 * - A touch racing a move: `touch` moves the expiry in `from`, then in `to`. The mover's check
 *   re-reads `from`; if the expiry moved since its copy, it carries it over (a conditional
 *   write on the version it copied, so a newer write in `to` keeps its own). Either the
 *   touch's `to` step comes after the copy, or the check after its `from` step.
 *
 * Limits, both narrow windows:
 * - A mover that read `from` before the session was moved by another request, and copies it
 *   only after the session was moved and then destroyed, brings it back in `to` until its own
 *   check (the next call) deletes it again. A request in that window can read it.
 * - `destroyByUser` may count a session twice if it is caught between its copy and its delete.
 *
 * While it runs, a create costs one extra read of `from` (a key live there must not be
 * shadowed), each session's first read costs five calls instead of one, and a read of a key
 * in neither store three.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore, MigratingStore } from '@tessera/core'
 *
 * // In production: e.g. the FileStore you used so far, and a RedisStore.
 * const store = new MigratingStore({ from: new MemoryStore(), to: new MemoryStore() })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 * ```
 */
export class MigratingStore implements SessionStore {
  readonly #from: SessionStore
  readonly #to: SessionStore

  declare readonly listByUser?: (userId: string) => Promise<KeyedStoredSession[]>
  declare readonly destroyByUser?: (userId: string, exceptKey?: string) => Promise<number>
  declare readonly prune?: () => Promise<number>
  declare readonly lock?: (key: string, leaseMs: number) => Promise<string | null>
  declare readonly unlock?: (key: string, token: string) => Promise<void>

  constructor(options: MigratingStoreOptions) {
    const { from, to } = options
    assertSessionStore('from', from)
    assertSessionStore('to', to)
    if (from === to) {
      throw new SessionConfigError('to', '`from` and `to` are the same store: nothing to move.')
    }
    this.#from = from
    this.#to = to

    // Capabilities by presence. Listing and revoking by user need both stores, or sessions
    // still in `from` would be missed (and a revoked one left signed in); without them, the
    // engine falls back to per-key destroys over listByUser, or reports the feature missing.
    const { listByUser: listFrom, destroyByUser: destroyFrom, prune: pruneFrom } = from
    const { listByUser: listTo, destroyByUser: destroyTo, prune: pruneTo } = to
    if (listFrom && listTo) {
      this.listByUser = (userId) => this.#listByUser(listFrom.bind(from), listTo.bind(to), userId)
    }
    if (destroyFrom && destroyTo) {
      this.destroyByUser = async (userId, exceptKey) => {
        const moved = await destroyFrom.call(from, userId, exceptKey)
        return moved + (await destroyTo.call(to, userId, exceptKey))
      }
    }
    if (pruneFrom || pruneTo) {
      this.prune = async () => {
        const removed = pruneFrom ? await pruneFrom.call(from) : 0
        return removed + (pruneTo ? await pruneTo.call(to) : 0)
      }
    }
    // Leases live in the store every write goes to: `to`.
    const { lock, unlock } = to
    if (lock && unlock) {
      this.lock = (key, leaseMs) => lock.call(to, key, leaseMs)
      this.unlock = (key, token) => unlock.call(to, key, token)
    }
  }

  async get(key: string): Promise<StoredSession | null> {
    const moved = await this.#to.get(key)
    if (moved !== null) return moved
    const old = await this.#from.get(key)
    // Neither: unless a concurrent move wrote `to` and deleted `from` between the two reads.
    if (old === null) return this.#to.get(key)
    return this.#move(key, old)
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    if (expected === null) {
      // Create-only means "no live record": one waiting in `from` counts.
      if ((await this.#from.get(key)) !== null) return false
      return this.#to.set(key, record, null)
    }
    if (await this.#to.set(key, record, expected)) return true
    const old = await this.#from.get(key)
    if (old === null || old.version !== expected) return false
    await this.#move(key, old)
    return this.#to.set(key, record, expected)
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    await this.#from.touch(key, expiresAt)
    await this.#to.touch(key, expiresAt)
  }

  /** Deletes in `from` first, then in `to`: the order a concurrent move relies on. */
  async destroy(key: string): Promise<void> {
    await this.#from.destroy(key)
    await this.#to.destroy(key)
  }

  async ready(): Promise<void> {
    await this.#from.ready?.()
    await this.#to.ready?.()
  }

  /** Calls both stores' `close()`; the clients they were given stay open. */
  async close(): Promise<void> {
    try {
      await this.#from.close?.()
    } finally {
      await this.#to.close?.()
    }
  }

  /**
   * Copies `old` into `to` (create-only, same version), then deletes it in `from`. Returns
   * the session as `to` now holds it, or null when a concurrent destroy removed it.
   */
  async #move(key: string, old: StoredSession): Promise<StoredSession | null> {
    if (!(await this.#to.set(key, old, null))) {
      // Another request moved it first (and may have changed it since): theirs is the session.
      return this.#to.get(key)
    }
    const left = await this.#from.get(key)
    if (left === null) {
      // Deleted in `from` while we copied: a destroy ran, and its delete in `to` may have come
      // before our copy. Never bring it back.
      await this.#to.destroy(key)
      return null
    }
    let moved = old
    if (left.expiresAt !== old.expiresAt) {
      // A touch reached `from` after we read it, and `to` perhaps before our copy: carry its
      // expiry over, unless a write in `to` has replaced our copy (with an expiry of its own).
      const retimed = { ...old, expiresAt: left.expiresAt }
      if (await this.#to.set(key, retimed, old.version)) moved = retimed
    }
    await this.#from.destroy(key)
    return moved
  }

  /**
   * Lists `from` first, then `to`: a session moving meanwhile is in `from` at the first
   * listing or already in `to` at the second, so it is never missed; `to`'s copy wins.
   */
  async #listByUser(
    listFrom: (userId: string) => Promise<KeyedStoredSession[]>,
    listTo: (userId: string) => Promise<KeyedStoredSession[]>,
    userId: string,
  ): Promise<KeyedStoredSession[]> {
    const old = await listFrom(userId)
    const moved = await listTo(userId)
    const keys = new Set(moved.map((record) => record.key))
    return [...moved, ...old.filter((record) => !keys.has(record.key))]
  }
}
