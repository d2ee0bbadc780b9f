import { SessionConfigError } from '@tessera/core'
import { storedRecord } from '@tessera/testkit'
import { CamelCasePlugin, type Kysely, Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createSessionTable,
  createSessionTableMigration,
  dropSessionTable,
  KyselyStore,
  SessionTableMissingError,
} from '../src/index.js'
import { availableDatabases, type TestDatabase, uniqueTable } from './databases.js'

const databases = await availableDatabases()
afterAll(async () => {
  await Promise.all(databases.map((database) => database.release()))
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const key = () => globalThis.crypto.randomUUID().replaceAll('-', '').padEnd(43, 'x')
/** The names of the indexes on `table`, from the catalogue of each dialect. */
async function indexNamesOf(
  db: Kysely<unknown>,
  database: TestDatabase,
  table: string,
): Promise<string[]> {
  const query =
    database.dialect === 'sqlite'
      ? sql<{
          name: string
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`
      : database.dialect === 'postgres'
        ? sql<{
            name: string
          }>`select indexname as name from pg_indexes where tablename = ${table} and indexname not like '%_pkey'`
        : sql<{
            name: string
          }>`select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = ${table} and index_name <> 'PRIMARY'`
  const { rows } = await query.execute(db)
  return rows.map((row) => row.name).sort()
}

async function countRows(db: Kysely<unknown>, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number | string
  }>`select count(*) as n from ${sql.table(table)}`.execute(db)
  return Number(rows[0]?.n)
}

for (const database of databases) {
  describe(`KyselyStore on ${database.name}`, () => {
    let db: Kysely<unknown>
    const table = uniqueTable()
    const extraTables: string[] = []

    beforeAll(async () => {
      db = database.open()
      await createSessionTable(db, { table })
    })
    afterAll(async () => {
      for (const name of [table, ...extraTables]) await dropSessionTable(db, { table: name })
      await db.destroy()
    })

    it('detects the dialect from the Kysely adapter', () => {
      expect(new KyselyStore({ db, table }).dialect).toBe(database.dialect)
      expect(new KyselyStore({ db, table, dialect: database.dialect }).dialect).toBe(
        database.dialect,
      )
    })

    it('createSessionTable is idempotent and creates both indexes', async () => {
      await createSessionTable(db, { table })
      await createSessionTable(db, { table })
      expect(await indexNamesOf(db, database, table)).toEqual([
        `${table}_expires_at_idx`,
        `${table}_user_id_idx`,
      ])
      const tables = await db.introspection.getTables()
      const columns = tables.find((t) => t.name === table)?.columns.map((c) => c.name)
      expect(columns?.sort()).toEqual(['expires_at', 'key', 'payload', 'user_id', 'version'])
    })

    it('the migration works with Kysely’s Migrator, up and down', async () => {
      const migrated = uniqueTable('migrated')
      extraTables.push(migrated)
      const migrationTableName = uniqueTable('kysely_migration')
      const migrator = new Migrator({
        db,
        migrationTableName,
        migrationLockTableName: `${migrationTableName}_lock`,
        provider: {
          getMigrations: async () => ({
            '0001_sessions': createSessionTableMigration({ table: migrated }),
          }),
        },
      })
      try {
        const up = await migrator.migrateToLatest()
        expect(up.error).toBeUndefined()
        expect(up.results?.map((r) => r.status)).toEqual(['Success'])
        const store = new KyselyStore({ db, table: migrated })
        expect(await store.set(key(), storedRecord(), null)).toBe(true)
        const down = await migrator.migrateDown()
        expect(down.error).toBeUndefined()
        await expect(store.get(key())).rejects.toBeInstanceOf(SessionTableMissingError)
      } finally {
        await db.schema.dropTable(migrationTableName).ifExists().execute()
        await db.schema.dropTable(`${migrationTableName}_lock`).ifExists().execute()
      }
    })

    it('a missing table is a SessionTableMissingError that names the fix, from every method', async () => {
      const store = new KyselyStore({ db, table: uniqueTable('missing') })
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['get', () => store.get(key())],
        ['set', () => store.set(key(), storedRecord(), null)],
        ['set versioned', () => store.set(key(), storedRecord({ version: 2 }), 1)],
        ['touch', () => store.touch(key(), Date.now() + 1000)],
        ['destroy', () => store.destroy(key())],
        ['listByUser', () => store.listByUser('u')],
        ['destroyByUser', () => store.destroyByUser('u')],
        ['prune', () => store.prune()],
      ]
      for (const [name, call] of calls) {
        const error = await call().then(
          () => expect.fail(`${name} should fail`),
          (e: unknown) => e,
        )
        expect(error, name).toBeInstanceOf(SessionTableMissingError)
        expect((error as SessionTableMissingError).code).toBe('SESSION_TABLE_MISSING')
        expect((error as SessionTableMissingError).table).toBe(store.table)
        expect((error as Error).message).toContain('createSessionTable')
        expect((error as Error).message).toContain('createSessionTableMigration')
        expect((error as Error).cause).toBeDefined()
      }
    })

    it('holds 1 MiB of 4-byte UTF-8 characters, and NUL', async () => {
      const store = new KyselyStore({ db, table })
      const k = key()
      const payload = `\u0000${'😀'.repeat(512 * 1024)}\u0000` // 1 MiB of UTF-16, 2 MiB of UTF-8
      expect(await store.set(k, storedRecord({ payload }), null)).toBe(true)
      const got = await store.get(k)
      expect(got?.payload.length).toBe(payload.length)
      expect(got?.payload === payload).toBe(true)
    })

    it('user ids differing in case or trailing spaces stay apart', async () => {
      const store = new KyselyStore({ db, table })
      const base = `user-${key().slice(0, 8)}`
      const ids = [base, `${base} `, base.toUpperCase(), `${base}é`, `${base}e\u0301`]
      const keys = new Map(ids.map((id) => [id, key()]))
      for (const [id, k] of keys)
        expect(await store.set(k, storedRecord({ userId: id }), null)).toBe(true)
      for (const [id, k] of keys) {
        const listed = await store.listByUser(id)
        expect(
          listed.map((s) => s.key),
          JSON.stringify(id),
        ).toEqual([k])
        expect(listed[0]?.userId).toBe(id)
      }
      expect(await store.destroyByUser(base)).toBe(1)
      expect(await store.listByUser(`${base} `)).toHaveLength(1)
    })

    it('ignores the instance’s plugins (CamelCasePlugin)', async () => {
      const camel = db.withPlugin(new CamelCasePlugin())
      const store = new KyselyStore({ db: camel, table })
      const k = key()
      const rec = storedRecord({ userId: 'camel-user', version: 3 })
      expect(await store.set(k, rec, null)).toBe(true)
      expect(await store.get(k)).toEqual(rec)
      expect((await store.listByUser('camel-user')).map((s) => s.key)).toEqual([k])
    })

    it('prune deletes expired rows in bounded batches and keeps live ones', async () => {
      const pruneTable = uniqueTable('prune')
      extraTables.push(pruneTable)
      await createSessionTable(db, { table: pruneTable })
      const deletes: string[] = []
      const store = new KyselyStore({ db, table: pruneTable, pruneBatchSize: 7 })
      const past = Date.now() - 1000
      for (let i = 0; i < 20; i++) {
        expect(await store.set(key(), storedRecord({ expiresAt: past }), null)).toBe(true)
      }
      const live = key()
      expect(await store.set(live, storedRecord(), null)).toBe(true)

      const logging = database.open({
        log: (event) => {
          if (event.level === 'query' && /^delete/i.test(event.query.sql))
            deletes.push(event.query.sql)
        },
      })
      try {
        const loggingStore = new KyselyStore({ db: logging, table: pruneTable, pruneBatchSize: 7 })
        expect(await loggingStore.prune()).toBe(20)
        // 7 + 7 + 6 sessions, then one delete of the ended leases
        const [sessions, leases] = [deletes.slice(0, -1), deletes.slice(-1)]
        expect(sessions).toHaveLength(3)
        for (const query of sessions) expect(query).not.toContain(loggingStore.lockTable)
        expect(leases[0]).toContain(loggingStore.lockTable)
        expect(await loggingStore.prune()).toBe(0)
      } finally {
        await logging.destroy()
      }
      expect(await store.get(live)).not.toBeNull()
      expect(await countRows(db, pruneTable)).toBe(1)
    })

    it('pruneInterval prunes on a timer that close() stops, and close() leaves db open', async () => {
      const timedTable = uniqueTable('timed')
      extraTables.push(timedTable)
      await createSessionTable(db, { table: timedTable })
      const store = new KyselyStore({ db, table: timedTable, pruneInterval: 50 })
      for (let i = 0; i < 3; i++)
        await store.set(key(), storedRecord({ expiresAt: Date.now() - 1 }), null)
      await vi.waitFor(async () => expect(await countRows(db, timedTable)).toBe(0), {
        timeout: 3000,
      })
      await store.close()
      await store.set(key(), storedRecord({ expiresAt: Date.now() - 1 }), null)
      await sleep(200)
      expect(await countRows(db, timedTable)).toBe(1) // no timer any more
      // The store still works after close(): only its timer is gone, the db is the user's.
      expect(await store.prune()).toBe(1)
    })

    it('a failing timed prune goes to onPruneError', async () => {
      const errors: unknown[] = []
      const store = new KyselyStore({
        db,
        table: uniqueTable('missing'),
        pruneInterval: 20,
        onPruneError: (error) => errors.push(error),
      })
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 3000 })
      await store.close()
      expect(errors[0]).toBeInstanceOf(SessionTableMissingError)
    })

    it('stores whole milliseconds and checks what it cannot hold', async () => {
      const store = new KyselyStore({ db, table })
      const k = key()
      const at = Date.now() + 60_000.7
      expect(await store.set(k, storedRecord({ expiresAt: at }), null)).toBe(true)
      expect((await store.get(k))?.expiresAt).toBe(Math.floor(at))
      await expect(
        store.set(key(), storedRecord({ userId: 'u'.repeat(256) }), null),
      ).rejects.toThrow(RangeError)
      await expect(store.set(key(), storedRecord({ userId: 'a\u0000b' }), null)).rejects.toThrow(
        RangeError,
      )
      expect(await store.listByUser('a\u0000b')).toEqual([])
      expect(await store.destroyByUser('a\u0000b')).toBe(0)
      await expect(store.set('', storedRecord(), null)).rejects.toThrow(RangeError)
      await expect(store.set(key(), storedRecord({ expiresAt: Number.NaN }), null)).rejects.toThrow(
        TypeError,
      )
    })
  })
}

describe('KyselyStore options', () => {
  const database = databases[0] as TestDatabase
  let db: Kysely<unknown>
  beforeAll(() => {
    db = database.open()
  })
  afterAll(async () => {
    await db.destroy()
  })

  it('rejects bad options with SessionConfigError', () => {
    expect(() => new KyselyStore({ db, table: 'no spaces' })).toThrow(SessionConfigError)
    expect(() => new KyselyStore({ db, table: 'a.b.c' })).toThrow(SessionConfigError)
    expect(() => new KyselyStore({ db, pruneBatchSize: 0 })).toThrow(SessionConfigError)
    expect(() => new KyselyStore({ db, pruneInterval: '5 minutes' as never })).toThrow(
      SessionConfigError,
    )
    expect(() => new KyselyStore({ db: {} as never })).toThrow(SessionConfigError)
    expect(() => new KyselyStore({ db, dialect: 'oracle' as never })).toThrow(SessionConfigError)
  })

  it('accepts schema-qualified tables and durations', async () => {
    const store = new KyselyStore({ db, table: 'main.sessions_x', pruneInterval: '15m' })
    expect(store.table).toBe('main.sessions_x')
    await store.close()
  })
})
