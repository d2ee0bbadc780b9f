import type { SessionStore } from './session-store.js'

/**
 * Options of {@link MigratingStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MigratingStore } from '@tessera/core'
 * import { FileStore } from '@tessera/file'
 * import { RedisStore } from '@tessera/redis'
 * import { Redis } from 'ioredis'
 *
 * // Moving from files to Redis without signing anyone out: sessions are moved one by one,
 * // the first time each is read. Deploy this to every instance at once.
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
 * const store = new MigratingStore({
 *   from: new FileStore({ dir: './sessions' }),
 *   to: new RedisStore({ client: redis }),
 * })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 *
 * // Once the old store is empty (every session moved or expired: after the absolute
 * // timeout at the latest), configure `to` alone and delete the old files.
 * ```
 */
export interface MigratingStoreOptions {
  /**
   * The store the sessions are leaving. Read, touched and emptied; nothing is created in it.
   * Give it the same settings (prefix, table, directory) it had, so it finds the sessions.
   */
  from: SessionStore
  /** The store the sessions are moving to. Every write goes here. */
  to: SessionStore
}
