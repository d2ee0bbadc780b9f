import type { SessionStore } from '@tessera/core'
import { describeStore, EVERY_OPTIONAL_METHOD } from '@tessera/testkit'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll } from 'vitest'
import { createSessionTable, dropSessionTable, KyselyStore } from '../src/index.js'
import { availableDatabases, uniqueTable } from './databases.js'

// The store conformance suite, unchanged, on each database. Every case gets a table of its
// own (created here, dropped in `cleanup`), so counts are exact and runs never collide.
const databases = await availableDatabases()
afterAll(async () => {
  await Promise.all(databases.map((database) => database.release()))
})

for (const database of databases) {
  let db: Kysely<unknown> | undefined
  const tables = new Set<string>()
  beforeAll(() => {
    db = database.open()
  })
  afterAll(async () => {
    if (!db) return
    // Cases that make stores outside describeStore's cleanup (engine cases) leave tables.
    for (const table of tables) await dropSessionTable(db, { table })
    await db.destroy()
  })

  describeStore(
    `KyselyStore (${database.name})`,
    async () => {
      if (!db) throw new Error('the database is not open yet')
      const table = uniqueTable()
      tables.add(table)
      await createSessionTable(db, { table })
      return new KyselyStore({ db, table })
    },
    {
      ...EVERY_OPTIONAL_METHOD,
      isolated: true,
      cleanup: async (store: SessionStore) => {
        const { table } = store as KyselyStore
        if (db) await dropSessionTable(db, { table })
        tables.delete(table)
      },
    },
  )
}
