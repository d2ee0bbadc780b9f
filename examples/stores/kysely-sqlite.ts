// The Kysely README's SQLite setup.
// #region sqlite
import { createSessionEngine } from '@tessera/core'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'

const sqlite = new Database(process.env.DATABASE_PATH ?? 'sessions.db')
sqlite.pragma('journal_mode = WAL') // readers never block the writer
sqlite.pragma('busy_timeout = 5000') // a second process writing waits instead of SQLITE_BUSY
const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) })

await createSessionTable(db) // idempotent: fine on every start
const store = new KyselyStore({ db, pruneInterval: '15m' })
const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })

// #endregion sqlite

export { db, engine, store }
