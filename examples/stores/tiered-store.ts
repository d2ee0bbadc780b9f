// TieredStore: Redis in front of PostgreSQL (the core README's "Composing stores").
// REDIS_URL and DATABASE_URL name the servers.
// #region tiered-store
import { createSessionEngine, TieredStore } from '@tessera/core'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import { RedisStore } from '@tessera/redis'
import { Redis } from 'ioredis'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

// PostgreSQL keeps every session and decides every conditional write.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
pool.on('error', (error) => console.warn('idle PostgreSQL connection lost', error))
const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
await createSessionTable(db)

// Redis keeps copies only, under a prefix of their own: flushing it signs nobody out. While it
// is down, each call fails at once (maxRetriesPerRequest: 1) and PostgreSQL answers.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  maxRetriesPerRequest: 1,
})
redis.on('error', (error) => console.warn('redis:', error.message))

const store = new TieredStore({
  cache: new RedisStore({ client: redis, prefix: 'myapp:cache:' }),
  primary: new KyselyStore({ db }),
  cacheTtl: '10m', // a copy is read again from PostgreSQL at least this often
  onCacheError: (error, operation) => console.warn(`session cache ${operation} failed`, error),
})
const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })

// Pass the same `store` to the Express, Koa or Hono adapter. At shutdown: `await store.close()`,
// then `await redis.quit()` and `await db.destroy()`: a store never closes a client you gave it.
// #endregion tiered-store

export { db, engine, redis, store }
