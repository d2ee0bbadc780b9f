import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { CookieJar, send } from '@tessera/adapter-suite'
import { createSessionEngine, type SessionStore } from '@tessera/core'
import { FileStore } from '@tessera/file'
import {
  redisServerInstalled,
  requireMysql,
  requirePostgres,
  requireRedis,
  skipOrFail,
  startRedisCluster,
} from '@tessera/test-support'
import { exchange } from '@tessera/testkit'
import { createConnection } from 'mysql2/promise'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startSentinel } from '../src/redis-sentinel.js'
import { listen } from '../src/serve.js'
import { tempDir } from '../src/temp-dir.js'

// The store examples against real servers: the shared Redis, PostgreSQL and MariaDB (each
// test in a namespace of its own, removed afterwards), a private Redis Cluster and Sentinel,
// SQLite in a temporary file. A missing server skips its test loudly (fails under CI=true).

const secret = process.env.SESSION_SECRET!

/** The store key of the session behind a `Cookie` header: base64url(SHA-256(id)). */
function storeKeyOf(cookie: string): string {
  const value = cookie.slice(cookie.indexOf('=') + 1)
  const id = value.slice(0, value.lastIndexOf('.'))
  return createHash('sha256').update(id).digest('base64url')
}

/** A round trip through `store`: written by one request, read back by the next. */
async function roundTrip(store: SessionStore): Promise<string> {
  const engine = createSessionEngine({ secret, store })
  const first = await exchange(engine, undefined, (session) => session.set('greeting', 'hello'))
  const again = await exchange(engine, first.cookie, (session) => session.get('greeting'))
  expect(again.result).toBe('hello')
  return first.cookie!
}

const redis = await requireRedis()
const postgres = await requirePostgres()
const mysql = await requireMysql()
const redisBinaries = redisServerInstalled()
if (!redisBinaries)
  skipOrFail('Redis Cluster and Sentinel examples', 'redis-server is not installed')
afterAll(async () => {
  await redis?.stop()
  await postgres?.stop()
  await mysql?.stop()
})
/** The test's title, saying why it is skipped when its server is missing. */
const needs = (server: unknown, what: string, title: string) =>
  server ? title : `${title} (skipped: no ${what})`

describe.skipIf(!redis)(needs(redis, 'Redis server', 'examples with Redis'), () => {
  it('express/redis-cart.ts (the root README): 20 concurrent appends all survive', async () => {
    process.env.REDIS_URL = redis!.url
    const { app, redis: client } = await import('../../../examples/express/redis-cart.js')
    const served = await listen(app)
    const jar = new CookieJar()
    try {
      const body = (item: string) => ({
        method: 'POST',
        jar,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `item=${item}`,
      })
      const first = await send(served.url, '/cart', body('first'))
      expect(first.headers.get('location')).toBe('/cart')
      const items = Array.from({ length: 20 }, (_, i) => `item-${i}`)
      await Promise.all(items.map((item) => send(served.url, '/cart', body(item))))
      const cart = (await (await send(served.url, '/cart', { jar })).json()) as string[]
      expect(cart.sort()).toEqual(['first', ...items].sort())
    } finally {
      await client.del(`tessera:sess:${storeKeyOf(jar.header()!)}`)
      await served.close()
      await client.quit()
    }
  })

  it('stores/redis-quick-example.ts stores sessions under its prefix', async () => {
    process.env.REDIS_URL = redis!.url
    const { client, engine } = await import('../../../examples/stores/redis-quick-example.js')
    try {
      const first = await exchange(engine, undefined, (session) => session.set('n', 1))
      const key = `myapp:sess:${storeKeyOf(first.cookie!)}`
      expect(await client.exists(key)).toBe(1)
      expect((await exchange(engine, first.cookie, (s) => s.get('n'))).result).toBe(1)
      await client.del(key)
    } finally {
      await client.quit()
    }
  })

  it('stores/redis-topologies.ts: the standalone client', async () => {
    const { redisStore, standaloneClient } = await import(
      '../../../examples/stores/redis-topologies.js'
    )
    const client = standaloneClient(redis!.url)
    try {
      const cookie = await roundTrip(redisStore(client))
      expect(await client.del(`tessera:sess:${storeKeyOf(cookie)}`)).toBe(1)
    } finally {
      await client.quit()
    }
  })
})

describe.skipIf(!redisBinaries)(
  needs(redisBinaries, 'redis-server binary', 'examples with a private Redis Cluster and Sentinel'),
  () => {
    it('stores/redis-topologies.ts: the Cluster client, on a 3-master cluster', async () => {
      const cluster = await startRedisCluster()
      if (!cluster) throw new Error('redis-server runs but the cluster did not start (redis-cli?)')
      const { clusterClient, redisStore } = await import(
        '../../../examples/stores/redis-topologies.js'
      )
      const client = clusterClient([...cluster.nodes])
      try {
        const store = redisStore(client)
        expect(store.indexInScripts, 'a Cluster with a plain prefix indexes in split mode').toBe(
          false,
        )
        await roundTrip(store)
      } finally {
        await client.quit()
        await cluster.stop()
      }
    })

    it('stores/redis-topologies.ts: the Sentinel client finds the master', async () => {
      const sentinel = await startSentinel()
      const { redisStore, sentinelClient } = await import(
        '../../../examples/stores/redis-topologies.js'
      )
      const client = sentinelClient(sentinel.sentinels, sentinel.name)
      try {
        await roundTrip(redisStore(client))
      } finally {
        client.disconnect()
        await sentinel.stop()
      }
    })
  },
)

describe('examples with Kysely', () => {
  const dir = tempDir('kysely')
  afterAll(() => dir.cleanup())

  it('stores/kysely-sqlite.ts creates its table in the file and stores sessions', async () => {
    process.env.DATABASE_PATH = join(dir.path, 'sessions.db')
    const { db, engine, store } = await import('../../../examples/stores/kysely-sqlite.js')
    try {
      const first = await exchange(engine, undefined, (session) => session.set('n', 1))
      expect((await exchange(engine, first.cookie, (s) => s.get('n'))).result).toBe(1)
    } finally {
      await store.close()
      await db.destroy()
    }
  })

  it("stores/kysely-migrator.ts creates the table through Kysely's Migrator", async () => {
    const { db, store } = await import('../../../examples/stores/kysely-migrator.js')
    try {
      await roundTrip(store)
    } finally {
      await db.destroy()
    }
  })

  it.skipIf(!postgres)(
    needs(postgres, 'PostgreSQL', 'stores/kysely-postgres.ts, in a schema of its own'),
    async () => {
      const schema = `docs_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: postgres!.url })
      await admin.connect()
      await admin.query(`create schema ${schema}`)
      const url = new URL(postgres!.url)
      url.searchParams.set('options', `-c search_path=${schema}`)
      process.env.DATABASE_URL = url.toString()
      try {
        const { db, store } = await import('../../../examples/stores/kysely-postgres.js')
        try {
          await roundTrip(store)
          const tables = await admin.query(
            'select table_name from information_schema.tables where table_schema = $1',
            [schema],
          )
          expect(tables.rows.map((row) => row.table_name).sort()).toEqual([
            'tessera_sessions',
            'tessera_sessions_locks', // the leases of exclusive sections
          ])
        } finally {
          await db.destroy()
        }
      } finally {
        await admin.query(`drop schema ${schema} cascade`)
        await admin.end()
      }
    },
  )

  it.skipIf(!mysql)(
    needs(mysql, 'MySQL/MariaDB', 'stores/kysely-mysql.ts, in a database of its own'),
    async () => {
      const database = `docs_${randomBytes(4).toString('hex')}`
      const admin = await createConnection({ uri: mysql!.url })
      await admin.query(`create database ${database}`)
      const url = new URL(mysql!.url)
      url.pathname = `/${database}`
      process.env.MYSQL_URL = url.toString()
      try {
        const { db, store } = await import('../../../examples/stores/kysely-mysql.js')
        try {
          await roundTrip(store)
        } finally {
          await db.destroy()
        }
      } finally {
        await admin.query(`drop database ${database}`)
        await admin.end()
      }
    },
  )
})

describe('examples of composed stores (TieredStore, MigratingStore)', () => {
  it.skipIf(!redis || !postgres)(
    needs(
      redis && postgres,
      'Redis server or PostgreSQL',
      'stores/tiered-store.ts: Redis copies, PostgreSQL keeps',
    ),
    async () => {
      const schema = `docs_${randomBytes(4).toString('hex')}`
      const admin = new pg.Client({ connectionString: postgres!.url })
      await admin.connect()
      await admin.query(`create schema ${schema}`)
      const url = new URL(postgres!.url)
      url.searchParams.set('options', `-c search_path=${schema}`)
      process.env.DATABASE_URL = url.toString()
      process.env.REDIS_URL = redis!.url
      let cacheKey = ''
      const {
        db,
        engine,
        redis: client,
        store,
      } = await import('../../../examples/stores/tiered-store.js')
      try {
        const first = await exchange(engine, undefined, (session) => session.set('n', 1))
        cacheKey = `myapp:cache:sess:${storeKeyOf(first.cookie!)}`
        expect(await client.exists(cacheKey), 'a copy in Redis').toBe(1)
        const rows = await admin.query(`select count(*)::int as n from ${schema}.tessera_sessions`)
        expect(rows.rows[0].n, 'the session in PostgreSQL').toBe(1)
        await client.del(cacheKey) // Redis flushed: nobody is signed out
        expect((await exchange(engine, first.cookie, (s) => s.get('n'))).result).toBe(1)
        expect(await client.exists(cacheKey), 'refilled from PostgreSQL').toBe(1)
        await exchange(engine, first.cookie, (s) => s.set('n', 2))
        expect((await exchange(engine, first.cookie, (s) => s.get('n'))).result).toBe(2)
      } finally {
        if (cacheKey) await client.del(cacheKey)
        await store.close()
        await client.quit()
        await db.destroy()
        await admin.query(`drop schema ${schema} cascade`)
        await admin.end()
      }
    },
  )

  it.skipIf(!redis)(
    needs(redis, 'Redis server', 'stores/migrating-store.ts: a session in files moves to Redis'),
    async () => {
      const dir = tempDir('migrating')
      process.env.SESSIONS_DIR = dir.path
      process.env.REDIS_URL = redis!.url
      // The app as it ran before the switch, with its sessions in files.
      const files = new FileStore({ dir: dir.path })
      const before = createSessionEngine({ secret, store: files })
      const first = await exchange(before, undefined, (session) => session.set('n', 1))
      const key = storeKeyOf(first.cookie!)
      expect(await files.get(key)).not.toBeNull()
      const {
        engine,
        redis: client,
        store,
      } = await import('../../../examples/stores/migrating-store.js')
      try {
        const next = await exchange(engine, first.cookie, (s) => s.get('n'))
        expect(next.result, 'still signed in, with its data').toBe(1)
        expect(await client.exists(`myapp:sess:${key}`), 'moved to Redis').toBe(1)
        expect(await files.get(key), 'and gone from the directory').toBeNull()
        await exchange(engine, first.cookie, (s) => s.set('n', 2))
        expect((await exchange(engine, first.cookie, (s) => s.get('n'))).result).toBe(2)
      } finally {
        await client.del(`myapp:sess:${key}`)
        await store.close()
        await files.close()
        await client.quit()
        dir.cleanup()
      }
    },
  )
})
