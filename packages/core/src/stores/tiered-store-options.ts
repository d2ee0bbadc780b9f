import type { Duration } from '../options/session-options.js'
import type { SessionStore } from './session-store.js'

/** A call {@link TieredStore} makes on its cache, as {@link TieredStoreOptions.onCacheError} names it. */
export type CacheOperation = 'get' | 'set' | 'destroy' | 'listByUser' | 'prune' | 'ready'

/**
 * Options of {@link TieredStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, TieredStore } from '@tessera/core'
 * import { createSessionTable, KyselyStore } from '@tessera/kysely'
 * import { RedisStore } from '@tessera/redis'
 * import { Redis } from 'ioredis'
 * import { Kysely, PostgresDialect } from 'kysely'
 * import pg from 'pg'
 *
 * // PostgreSQL keeps every session and decides every conditional write.
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
 * const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
 * await createSessionTable(db)
 * const primary = new KyselyStore({ db })
 *
 * // Redis answers most reads. While it is down, RedisStore fails at once (`failFast`, the
 * // default) and the primary answers instead.
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
 *   maxRetriesPerRequest: 1,
 *   commandTimeout: 200,
 * })
 * const cache = new RedisStore({ client: redis, prefix: 'myapp:cache:' })
 *
 * const store = new TieredStore({
 *   cache,
 *   primary,
 *   cacheTtl: '10m', // a cached copy is re-read from PostgreSQL at least every 10 minutes
 *   onCacheError: (error, operation) => console.warn(`session cache ${operation} failed`, error),
 * })
 * const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })
 *
 * // At shutdown: the stores release their own timers; the clients are yours to close.
 * await store.close()
 * await redis.quit()
 * await db.destroy()
 * ```
 */
export interface TieredStoreOptions {
  /**
   * The fast store that answers reads (usually a RedisStore or a MemoryStore). It only ever
   * holds copies: losing it (a flush, an eviction, an outage) loses no session. Give it keys of
   * its own (another prefix than any store that holds real sessions).
   */
  cache: SessionStore
  /**
   * The store that keeps every session (usually a KyselyStore on PostgreSQL or MySQL). Every
   * conditional write is decided here, so a stale copy in the cache can never win a write; its
   * failures fail the request (503) as any store's do.
   */
  primary: SessionStore
  /**
   * How long a copy may be served from the cache before the primary is read again. It also
   * bounds how long a stale copy can outlive a cache failure (see the README), and how long a
   * destroyed key stays fenced off from refills. Default `'10m'`.
   */
  cacheTtl?: Duration
  /**
   * How long to wait for the cache on each call before going on without it (a read then asks
   * the primary). Default `'250ms'`.
   */
  cacheTimeout?: Duration
  /**
   * Called with every cache failure or timeout the store worked around (the request went on
   * with the primary). For logs and metrics; what it throws is ignored. Default: nothing.
   */
  onCacheError?: (error: unknown, operation: CacheOperation) => void
}
