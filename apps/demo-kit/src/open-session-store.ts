import { CookieStore, MemoryStore, type SessionStore } from '@tessera/core'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import type { Kysely } from 'kysely'
import type { DemoDatabase } from './demo-database.js'
import { DemoStoreUnreachableError } from './demo-store-errors.js'
import type { SessionStoreSpec } from './session-store-spec.js'

/** Options of {@link openSessionStore}. */
export interface OpenSessionStoreOptions {
  spec: SessionStoreSpec
  /** The demo's SQLite database: the `sqlite` store keeps its table there, beside the users. */
  database: Kysely<DemoDatabase>
  /** SQL table (or MongoDB collection) of the sessions. */
  table: string
  /** Redis key prefix. */
  prefix: string
  /** Shown in the error when the store cannot be reached. */
  label: string
}

/** A session store the demo opened, and how to release what it opened. */
export interface OpenedSessionStore {
  store: SessionStore | CookieStore
  /** False for CookieStore: no server-side index, so no "active sessions" or admin revoking. */
  perUser: boolean
  /** Closes the connections the demo opened for the store (never the demo database). */
  close(): Promise<void>
}

/**
 * Opens the store `spec` names: connects to its server, creates its table if needed, and
 * fails at start (never at the first request) when it cannot.
 */
export async function openSessionStore(
  options: OpenSessionStoreOptions,
): Promise<OpenedSessionStore> {
  const { spec } = options
  try {
    switch (spec.kind) {
      case 'sqlite':
        return await sqlStore(options.database, options.table, async () => {})
      case 'memory': {
        const store = new MemoryStore()
        return { store, perUser: true, close: () => store.close() }
      }
      case 'cookie':
        return { store: new CookieStore(), perUser: false, close: async () => {} }
      case 'redis':
        return await redisStore(spec.url, options.prefix)
      case 'postgres':
        return await postgresStore(spec.url, options.table)
      case 'mysql':
        return await mysqlStore(spec.url, options.table)
      case 'file':
        return await fileStore(spec.dir)
      case 'mongodb':
        return await mongoStore(spec.url, options.table)
    }
  } catch (error) {
    throw new DemoStoreUnreachableError(options.label, error)
  }
}

async function sqlStore<DB>(
  db: Kysely<DB>,
  table: string,
  closeDb: () => Promise<void>,
): Promise<OpenedSessionStore> {
  try {
    await createSessionTable(db, { table })
  } catch (error) {
    await closeDb()
    throw error
  }
  const store = new KyselyStore({ db, table, pruneInterval: '15m' })
  return {
    store,
    perUser: true,
    async close() {
      await store.close()
      await closeDb()
    },
  }
}

async function postgresStore(url: string, table: string): Promise<OpenedSessionStore> {
  const [{ default: pg }, { Kysely, PostgresDialect }] = await Promise.all([
    import('pg'),
    import('kysely'),
  ])
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000, max: 5 })
  // A dropped connection emits 'error'; unhandled it would crash the demo. Handled, the
  // request in flight answers 503 and the next one gets a fresh connection.
  pool.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`))
  pool.on('connect', (client) =>
    client.on('error', (error) => console.warn(`PostgreSQL connection lost: ${error.message}`)),
  )
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  return sqlStore(db, table, () => db.destroy())
}

async function mysqlStore(url: string, table: string): Promise<OpenedSessionStore> {
  const [{ createPool }, { Kysely, MysqlDialect }] = await Promise.all([
    import('mysql2'),
    import('kysely'),
  ])
  const pool = createPool({ uri: url, connectTimeout: 5_000, connectionLimit: 5 })
  const db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool }) })
  return sqlStore(db, table, () => db.destroy())
}

async function redisStore(url: string, prefix: string): Promise<OpenedSessionStore> {
  const [{ Redis }, { RedisStore }] = await Promise.all([
    import('ioredis'),
    import('@tessera/redis'),
  ])
  const client = new Redis(url, {
    lazyConnect: true,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1, // while Redis is down, fail fast: the page answers 503
    connectTimeout: 5_000,
    commandTimeout: 2_000,
  })
  // Before the first connection, a failure rejects connect() below; later, say it once per outage.
  let reported = true
  client.on('error', (error: Error) => {
    if (reported) return
    reported = true
    console.warn(`Redis: ${error.message} (reconnecting; pages answer 503 meanwhile)`)
  })
  client.on('ready', () => {
    reported = false
  })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw error
  }
  const store = new RedisStore({ client, prefix })
  return {
    store,
    perUser: true,
    async close() {
      await client.quit().catch(() => client.disconnect())
    },
  }
}

async function fileStore(dir: string): Promise<OpenedSessionStore> {
  const { FileStore } = await import('@tessera/file')
  const store = new FileStore({ dir, pruneInterval: '15m' })
  return { store, perUser: true, close: () => store.close() }
}

async function mongoStore(url: string, collectionName: string): Promise<OpenedSessionStore> {
  const [{ MongoClient }, { ensureIndexes, MongoStore }] = await Promise.all([
    import('mongodb'),
    import('@tessera/mongodb'),
  ])
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 3_000, // while MongoDB is unreachable, fail in 3 s (503), not 30 s
    socketTimeoutMS: 10_000,
  })
  try {
    await client.connect()
    // The database named in the URL's path, else `tessera_demo`.
    const collection = client
      .db(new URL(url).pathname.slice(1) || 'tessera_demo')
      .collection(collectionName)
    await ensureIndexes(collection)
    return { store: new MongoStore({ collection }), perUser: true, close: () => client.close() }
  } catch (error) {
    await client.close()
    throw error
  }
}
