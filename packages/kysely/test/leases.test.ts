import { randomKey, storedRecord } from '@tessera/testkit'
import { type Kysely, Migrator, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSessionLockTableMigration,
  createSessionTable,
  createSessionTableMigration,
  dropSessionTable,
  KyselyStore,
  SessionLockTableMissingError,
} from '../src/index.js'
import { availableDatabases, uniqueTable } from './databases.js'

// Exclusive-section leases on each database, beyond the conformance cases: the lease table's
// schema, old databases without it, the migration that adds it, and pruning of ended leases.
const databases = await availableDatabases()
afterAll(async () => {
  await Promise.all(databases.map((database) => database.release()))
})

async function leaseRows(db: Kysely<unknown>, table: string): Promise<number> {
  const { rows } = await sql<{
    n: number | string
  }>`select count(*) as n from ${sql.table(table)}`.execute(db)
  return Number(rows[0]?.n)
}

for (const database of databases) {
  describe(`KyselyStore leases on ${database.name}`, () => {
    let db: Kysely<unknown>
    const tables: string[] = []
    const newTable = (prefix?: string) => {
      const table = uniqueTable(prefix)
      tables.push(table)
      return table
    }

    beforeAll(() => {
      db = database.open()
    })
    afterAll(async () => {
      for (const table of tables) await dropSessionTable(db, { table })
      await db.destroy()
    })

    it('createSessionTable creates <table>_locks (key, token, expires_at), idempotently', async () => {
      const table = newTable()
      await createSessionTable(db, { table })
      await createSessionTable(db, { table })
      const store = new KyselyStore({ db, table })
      expect(store.lockTable).toBe(`${table}_locks`)
      const found = (await db.introspection.getTables()).find((t) => t.name === store.lockTable)
      expect(found?.columns.map((c) => c.name).sort()).toEqual(['expires_at', 'key', 'token'])
      const key = randomKey()
      const token = await store.lock(key, 5_000)
      const { rows } = await sql<{
        token: string | Uint8Array
        expires_at: number | string
      }>`select token, expires_at from ${sql.table(store.lockTable)} where ${sql.ref('key')} = ${key}`.execute(
        db,
      )
      expect(rows).toHaveLength(1)
      expect(Buffer.from(rows[0]?.token as string).toString()).toBe(token)
      expect(Number(rows[0]?.expires_at)).toBeGreaterThan(Date.now() + 4_000)
      expect(await leaseRows(db, table), 'the session table holds no lease').toBe(0)
      await store.unlock(key, `${token} `) // trailing space: another token (MySQL pads text)
      expect(await store.lock(key, 5_000)).toBeNull()
      await store.unlock(key, token as string)
      expect(await leaseRows(db, store.lockTable)).toBe(0)
      await expect(store.lock(key, 0)).rejects.toThrow(RangeError)
      await expect(store.lock('', 1_000)).rejects.toThrow(RangeError)
    })

    it('an old database without the lease table fails only lock/unlock, naming the fix', async () => {
      const table = newTable('old')
      await createSessionTable(db, { table })
      const store = new KyselyStore({ db, table })
      await db.schema.dropTable(store.lockTable).execute() // as created before leases existed
      const key = randomKey()
      await store.ready()
      expect(await store.set(key, storedRecord({ expiresAt: Date.now() + 100 }), null)).toBe(true)
      expect(await store.get(key)).not.toBeNull()
      for (const [name, call] of [
        ['lock', () => store.lock(randomKey(), 1_000)],
        ['unlock', () => store.unlock(randomKey(), 'token')],
      ] as const) {
        const error = await call().then(
          () => expect.fail(`${name} should fail`),
          (e: unknown) => e,
        )
        expect(error, name).toBeInstanceOf(SessionLockTableMissingError)
        expect(error).toMatchObject({
          code: 'SESSION_LOCK_TABLE_MISSING',
          status: 500,
          table: store.lockTable,
          sessionTable: table,
          dialect: database.dialect,
        })
        expect((error as Error).message).toContain(`createSessionTable(db, { table: '${table}' })`)
        expect((error as Error).message).toContain('createSessionLockTableMigration')
        expect((error as Error).cause).toBeDefined()
      }
      await new Promise((resolve) => setTimeout(resolve, 150))
      expect(await store.prune(), 'prune works without the lease table').toBe(1)
      await createSessionTable(db, { table }) // the documented fix adds what is missing
      const token = await store.lock(key, 1_000)
      expect(token).not.toBeNull()
      await store.unlock(key, token as string)
    })

    it('createSessionLockTableMigration adds the lease table to a database migrated before', async () => {
      const table = newTable('migrated')
      const migrationTableName = uniqueTable('kysely_migration')
      const migrator = (withLocks: boolean) =>
        new Migrator({
          db,
          migrationTableName,
          migrationLockTableName: `${migrationTableName}_lock`,
          provider: {
            getMigrations: async () => ({
              '0001_sessions': createSessionTableMigration({ table }),
              ...(withLocks
                ? { '0002_session_locks': createSessionLockTableMigration({ table }) }
                : {}),
            }),
          },
        })
      try {
        expect((await migrator(false).migrateToLatest()).error).toBeUndefined()
        const store = new KyselyStore({ db, table })
        // The first migration, as it ran before leases existed, made no lease table.
        await db.schema.dropTable(store.lockTable).execute()
        await expect(store.lock(randomKey(), 1_000)).rejects.toBeInstanceOf(
          SessionLockTableMissingError,
        )
        const up = await migrator(true).migrateToLatest()
        expect(up.error).toBeUndefined()
        expect(up.results?.map((r) => r.migrationName)).toEqual(['0002_session_locks'])
        const key = randomKey()
        const token = await store.lock(key, 1_000)
        expect(token).not.toBeNull()
        expect(await store.lock(key, 1_000)).toBeNull()
        const down = await migrator(true).migrateDown()
        expect(down.error).toBeUndefined()
        await expect(store.lock(key, 1_000)).rejects.toBeInstanceOf(SessionLockTableMissingError)
        expect(await store.set(randomKey(), storedRecord(), null), 'sessions stay').toBe(true)
      } finally {
        await db.schema.dropTable(migrationTableName).ifExists().execute()
        await db.schema.dropTable(`${migrationTableName}_lock`).ifExists().execute()
      }
    })

    it('prune deletes leases that ended, keeps running ones, and counts only sessions', async () => {
      const table = newTable()
      await createSessionTable(db, { table })
      const store = new KyselyStore({ db, table })
      const running = randomKey()
      const runningToken = await store.lock(running, 10_000)
      for (let i = 0; i < 3; i++) expect(await store.lock(randomKey(), 50)).not.toBeNull()
      expect(await leaseRows(db, store.lockTable)).toBe(4)
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(await store.prune()).toBe(0)
      expect(await leaseRows(db, store.lockTable)).toBe(1)
      expect(await store.lock(running, 10_000)).toBeNull()
      await store.unlock(running, runningToken as string)
    })

    it('dropSessionTable drops the lease table too', async () => {
      const table = uniqueTable('dropped')
      await createSessionTable(db, { table })
      await dropSessionTable(db, { table })
      const names = (await db.introspection.getTables()).map((t) => t.name)
      expect(names).not.toContain(table)
      expect(names).not.toContain(`${table}_locks`)
    })
  })
}
