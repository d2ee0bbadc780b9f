import { SessionStoreConfigError } from '@tessera/core'
import type { SqlDialect } from './sql-dialect.js'

/**
 * The lease table (`<table>_locks`) does not exist: the database was set up before
 * exclusive sections existed. Thrown by {@link KyselyStore.lock} and `unlock` only; every
 * other store method works without the table. A setup mistake, not an outage: the engine
 * lets it through as it is and adapters answer 500, with the fix in the log.
 */
export class SessionLockTableMissingError extends SessionStoreConfigError<'SESSION_LOCK_TABLE_MISSING'> {
  /** The lease table that is missing, `<table>_locks`. */
  readonly table: string
  /** The session table the store was configured with. */
  readonly sessionTable: string
  readonly dialect: SqlDialect

  constructor(sessionTable: string, table: string, dialect: SqlDialect, cause?: unknown) {
    super(
      'SESSION_LOCK_TABLE_MISSING',
      `The lease table "${table}" of the session table "${sessionTable}" does not exist (${dialect}), so exclusive sections cannot run. Create it with \`await createSessionTable(db, { table: '${sessionTable}' })\` (idempotent: it adds only what is missing), or add \`createSessionLockTableMigration({ table: '${sessionTable}' })\` to your Kysely Migrator as a new migration; both come from @tessera/kysely.`,
      { cause },
    )
    this.table = table
    this.sessionTable = sessionTable
    this.dialect = dialect
  }
}
