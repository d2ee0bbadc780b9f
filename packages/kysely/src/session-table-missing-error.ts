import { SessionStoreConfigError } from '@tessera/core'
import type { SqlDialect } from './sql-dialect.js'

/**
 * The session table does not exist. Thrown by {@link KyselyStore.ready} and every store
 * operation in place of the driver's own error, so the fix is in the message. A setup
 * mistake, not an outage: the engine lets it through as it is and adapters answer 500 (it
 * never recovers by waiting), with the fix in the log.
 */
export class SessionTableMissingError extends SessionStoreConfigError<'SESSION_TABLE_MISSING'> {
  /** The table the store was configured with. */
  readonly table: string
  readonly dialect: SqlDialect

  constructor(table: string, dialect: SqlDialect, cause?: unknown) {
    super(
      'SESSION_TABLE_MISSING',
      `The session table "${table}" does not exist (${dialect}). Create it once with \`await createSessionTable(db, { table: '${table}' })\`, or add \`createSessionTableMigration({ table: '${table}' })\` to your Kysely Migrator; both come from @tessera/kysely.`,
      { cause },
    )
    this.table = table
    this.dialect = dialect
  }
}

/** True when `error` is a driver's "no such table" error (pg, mysql2, better-sqlite3, libSQL). */
export function isMissingTableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, errno, message } = error as { code?: unknown; errno?: unknown; message?: unknown }
  if (code === '42P01' || code === 'ER_NO_SUCH_TABLE' || errno === 1146) return true
  return typeof message === 'string' && /\bno such table\b/i.test(message)
}
