import { type Kysely, sql } from 'kysely'
import { createSessionLockTable, dropSessionLockTable } from './create-lock-table.js'
import { DEFAULT_SESSION_TABLE, indexNames, parseTableName } from './session-table.js'
import { resolveDialect, type SqlDialect } from './sql-dialect.js'

/** Options of {@link createSessionTable} and {@link createSessionTableMigration}. */
export interface CreateSessionTableOptions {
  /** Table name, `name` or `schema.name`. Default `'tessera_sessions'`. */
  table?: string
  /** Overrides the dialect detected from the Kysely adapter. */
  dialect?: SqlDialect
}

/**
 * Creates the session table and its two indexes, and the lease table `<table>_locks` that
 * exclusive sections use, if they do not exist yet (idempotent: safe to call on every start;
 * on a database created before leases existed it adds the lease table). The SQL for each
 * dialect is in the package README.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * import { Kysely, SqliteDialect } from 'kysely'
 * import { createSessionTable, KyselyStore } from '@tessera/kysely'
 *
 * const db = new Kysely({ dialect: new SqliteDialect({ database: new Database('sessions.db') }) })
 * await createSessionTable(db)
 * const store = new KyselyStore({ db })
 * ```
 */
export async function createSessionTable<DB>(
  instance: Kysely<DB>,
  options: CreateSessionTableOptions = {},
): Promise<void> {
  const db = instance.withoutPlugins() // the store ignores plugins too (see KyselyStore)
  const { table, name } = parseTableName(options.table ?? DEFAULT_SESSION_TABLE)
  const dialect = resolveDialect(db, options.dialect)
  const indexes = indexNames(name)

  if (dialect === 'mysql') {
    // MySQL has no CREATE INDEX IF NOT EXISTS, so the indexes are part of the one statement.
    // utf8mb4_bin: 4-byte characters fit and keys compare case-sensitively. user_id is
    // varbinary (255 characters in UTF-8) because text collations are case-insensitive or
    // PAD SPACE ('bob' = 'bob '), and ids of different users must never match.
    await sql`create table if not exists ${sql.table(table)} (
  ${sql.ref('key')} varchar(255) not null,
  ${sql.ref('payload')} longtext not null,
  ${sql.ref('version')} bigint not null,
  ${sql.ref('user_id')} varbinary(1020) null,
  ${sql.ref('expires_at')} bigint not null,
  primary key (${sql.ref('key')}),
  index ${sql.id(indexes.userId)} (${sql.ref('user_id')}),
  index ${sql.id(indexes.expiresAt)} (${sql.ref('expires_at')})
) engine = InnoDB default character set utf8mb4 collate utf8mb4_bin`.execute(db)
    await createSessionLockTable(db, { table, dialect })
    return
  }

  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('key', 'text', (col) => col.notNull().primaryKey())
    // PostgreSQL's text cannot hold U+0000, so the payload is stored as its UTF-8 bytes.
    .addColumn('payload', dialect === 'postgres' ? 'bytea' : 'text', (col) => col.notNull())
    .addColumn('version', 'bigint', (col) => col.notNull())
    .addColumn('user_id', 'text')
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute()
  await db.schema.createIndex(indexes.userId).ifNotExists().on(table).column('user_id').execute()
  await db.schema
    .createIndex(indexes.expiresAt)
    .ifNotExists()
    .on(table)
    .column('expires_at')
    .execute()
  await createSessionLockTable(db, { table, dialect })
}

/**
 * Drops the session table (and with it its indexes) and its lease table, if they exist. For
 * migrations' `down` and for tests.
 */
export async function dropSessionTable<DB>(
  db: Kysely<DB>,
  options: Pick<CreateSessionTableOptions, 'table'> = {},
): Promise<void> {
  const { table } = parseTableName(options.table ?? DEFAULT_SESSION_TABLE)
  await dropSessionLockTable(db, { table })
  await db.withoutPlugins().schema.dropTable(table).ifExists().execute()
}
