import type { Duration } from '@tessera/core'
import type { Kysely } from 'kysely'
import type { SqlDialect } from './sql-dialect.js'

/**
 * Options of {@link KyselyStore}.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * import { Kysely, SqliteDialect } from 'kysely'
 * import { createSessionTable, KyselyStore } from '@tessera/kysely'
 *
 * const sqlite = new Database('sessions.db')
 * sqlite.pragma('journal_mode = WAL')
 * sqlite.pragma('busy_timeout = 5000')
 * const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) })
 *
 * await createSessionTable(db, { table: 'sessions' })
 * const store = new KyselyStore({ db, table: 'sessions', pruneInterval: '15m' })
 * // …
 * await store.close() // stops the prune timer; `db` stays open, it is yours
 * await db.destroy()
 * ```
 */
export interface KyselyStoreOptions<DB = unknown> {
  /**
   * The Kysely instance to use: SQLite (better-sqlite3 12), PostgreSQL (pg) or
   * MySQL/MariaDB (mysql2). The store never destroys it.
   */
  db: Kysely<DB>
  /** Table name, `name` or `schema.name`. Default `'tessera_sessions'`. */
  table?: string
  /**
   * The SQL dialect. Detected from the Kysely adapter; set it only for a dialect whose
   * adapter does not extend Kysely's `SqliteAdapter`, `PostgresAdapter` or `MysqlAdapter`.
   */
  dialect?: SqlDialect
  /**
   * Runs {@link KyselyStore.prune} this often (milliseconds, or `'15m'`, `'1h'`…) on a timer
   * that does not keep the process alive; `close()` stops it. Default: off, call `prune()`
   * yourself (from a cron job, say). Expired rows are invisible either way.
   */
  pruneInterval?: Duration | false
  /** Rows `prune()` deletes per statement, so it never holds long locks. Default `1000`. */
  pruneBatchSize?: number
  /** Called when a timed prune fails. Default: `console.warn`. */
  onPruneError?: (error: unknown) => void
}
