import { CookieStore, MemoryStore } from '@tessera/core'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import { RedisStore } from '@tessera/redis'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { createRedisClient } from './redis-client.mjs'

/**
 * The Tessera store named by BENCH_STORE, set up the way each package's README says, and the
 * functions that release what it opened.
 */
export async function tesseraStore(config) {
  switch (config.store) {
    case 'memory':
      return { store: new MemoryStore({ maxEntries: 200_000 }), close: [] }
    case 'cookie':
      return { store: new CookieStore(), close: [] }
    case 'redis': {
      const client = createRedisClient(config.redisUrl)
      return {
        store: new RedisStore({ client, prefix: config.redisPrefix }),
        close: [() => client.quit()],
      }
    }
    case 'sqlite': {
      const sqlite = new Database(config.sqlitePath)
      sqlite.pragma('journal_mode = WAL')
      sqlite.pragma('busy_timeout = 5000')
      const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) })
      await createSessionTable(db)
      return { store: new KyselyStore({ db }), close: [() => db.destroy()] }
    }
    case 'postgres': {
      // The runner creates (and later drops) the table, so servers never race on CREATE TABLE.
      const pool = new pg.Pool({ connectionString: config.postgresUrl })
      pool.on('error', (error) => console.error('postgres:', error.message))
      const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
      return {
        store: new KyselyStore({ db, table: config.postgresTable }),
        close: [() => db.destroy()],
      }
    }
    default:
      throw new Error(`BENCH_STORE=${config.store} is not a Tessera store this bench knows`)
  }
}
