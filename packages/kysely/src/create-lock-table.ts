import { type Kysely, sql } from 'kysely'
import type { CreateSessionTableOptions } from './create-session-table.js'
import { DEFAULT_SESSION_TABLE, lockTableName, parseTableName } from './session-table.js'
import { resolveDialect } from './sql-dialect.js'

/**
 * Creates the lease table of a session table, `<table>_locks`, if it does not exist yet
 * (idempotent). {@link createSessionTable} calls it, so a database set up that way has it;
 * a database migrated before leases existed gets it from
 * {@link createSessionLockTableMigration}. The SQL for each dialect is in the package README.
 *
 * No index besides the primary key: a lease row lives only while its holder runs (or, after
 * a crash, until it is taken over or pruned), so the table stays small.
 */
export async function createSessionLockTable<DB>(
  instance: Kysely<DB>,
  options: CreateSessionTableOptions = {},
): Promise<void> {
  const db = instance.withoutPlugins()
  const { table } = parseTableName(options.table ?? DEFAULT_SESSION_TABLE)
  const locks = lockTableName(table)
  const dialect = resolveDialect(db, options.dialect)

  if (dialect === 'mysql') {
    // As the session table: utf8mb4_bin keys compare case-sensitively. The token is
    // varbinary, so it matches byte for byte (a text collation would pad trailing spaces).
    await sql`create table if not exists ${sql.table(locks)} (
  ${sql.ref('key')} varchar(255) not null,
  ${sql.ref('token')} varbinary(64) not null,
  ${sql.ref('expires_at')} bigint not null,
  primary key (${sql.ref('key')})
) engine = InnoDB default character set utf8mb4 collate utf8mb4_bin`.execute(db)
    return
  }

  await db.schema
    .createTable(locks)
    .ifNotExists()
    .addColumn('key', 'text', (col) => col.notNull().primaryKey())
    .addColumn('token', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute()
}

/** Drops the lease table of a session table if it exists. */
export async function dropSessionLockTable<DB>(
  db: Kysely<DB>,
  options: Pick<CreateSessionTableOptions, 'table'> = {},
): Promise<void> {
  const { table } = parseTableName(options.table ?? DEFAULT_SESSION_TABLE)
  await db.withoutPlugins().schema.dropTable(lockTableName(table)).ifExists().execute()
}
