import { createSessionTableMigration, KyselyStore } from '@tessera/kysely'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'

const db = new Kysely({ dialect: new SqliteDialect({ database: new Database(':memory:') }) })

// #region migrator
const migrator = new Migrator({
  db,
  provider: {
    async getMigrations() {
      return { '0001_sessions': createSessionTableMigration({ table: 'sessions' }) }
    },
  },
})
await migrator.migrateToLatest()
// #endregion migrator

const store = new KyselyStore({ db, table: 'sessions' })

export { db, migrator, store }
