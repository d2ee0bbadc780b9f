import type { Duration } from '../options/session-options.js'

/**
 * Options of {@link MemoryStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 *
 * // At most 50 000 sessions (the least recently used go first), expired ones swept every 30 s.
 * const store = new MemoryStore({ maxEntries: 50_000, sweepInterval: '30s' })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 *
 * // On shutdown, stop the sweep timer:
 * await store.close()
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Most sessions kept at once. Writing a new session into a full store evicts the least
   * recently used one (a read, write or touch counts as use), which signs that visitor out.
   * A positive integer, or `Infinity` for no bound. Default `10_000`.
   */
  maxEntries?: number
  /**
   * How often expired sessions are removed in the background (they are also dropped
   * whenever they are read). `false` turns the sweep off. The timer is started by the first
   * write, never keeps the process alive, and stops on {@link MemoryStore.close}.
   * Default `'1m'`.
   */
  sweepInterval?: Duration | false
}
