import type { RedisClient } from './redis-client.js'

/**
 * Options of {@link RedisStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { RedisStore } from '@tessera/redis'
 * import { Redis } from 'ioredis'
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
 *   enableAutoPipelining: true, // concurrent requests share round trips
 *   maxRetriesPerRequest: 1, // while Redis is down, fail fast (the engine answers 503)
 *   commandTimeout: 2_000, // never wait on a stuck connection
 * })
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new RedisStore({ client, prefix: 'myapp:' }),
 * })
 * ```
 */
export interface RedisStoreOptions {
  /**
   * An ioredis client you created: `new Redis(...)` (standalone, or Sentinel through ioredis's
   * `sentinels` and `name` options) or `new Cluster(...)`. The store never connects, quits or
   * reconfigures it beyond registering its Lua scripts (`defineCommand`, names `tessera*`).
   */
  client: RedisClient
  /**
   * Prepended to every key the store writes: `<prefix>sess:<key>` for a session,
   * `<prefix>user:<userId>` for a user's index. Default `'tessera:'`. A prefix holding a hash
   * tag (`'{sessions}:'`) puts every key in one Cluster slot: the per-user index is then kept
   * in the same script as the session, but all sessions live on one node.
   */
  prefix?: string
  /**
   * While the client is disconnected (`status` is `'reconnecting'`, `'close'` or `'end'`), fail
   * each call at once with {@link RedisStoreUnavailableError} (the engine answers 503) instead
   * of letting ioredis park it in its offline queue. Default `true`.
   */
  failFast?: boolean
}
