import type { Migration } from 'kysely'
import { createSessionLockTable, dropSessionLockTable } from './create-lock-table.js'
import {
  type CreateSessionTableOptions,
  createSessionTable,
  dropSessionTable,
} from './create-session-table.js'
import { DEFAULT_SESSION_TABLE, parseTableName } from './session-table.js'

/**
 * A Kysely {@link Migration} that creates the session table and its lease table (`up`) and
 * drops them (`down`). Use it when your app runs Kysely's `Migrator`;
 * {@link createSessionTable} does the same without one. A database that ran this migration
 * before leases existed has no lease table: add {@link createSessionLockTableMigration} as
 * a new migration.
 *
 * @example
 * ```ts
 * import { Migrator } from 'kysely'
 * import { createSessionTableMigration } from '@tessera/kysely'
 *
 * const migrator = new Migrator({
 *   db,
 *   provider: {
 *     async getMigrations() {
 *       return { '0001_sessions': createSessionTableMigration({ table: 'sessions' }) }
 *     },
 *   },
 * })
 * await migrator.migrateToLatest()
 * ```
 */
export function createSessionTableMigration(options: CreateSessionTableOptions = {}): Migration {
  const table = parseTableName(options.table ?? DEFAULT_SESSION_TABLE).table
  return {
    async up(db) {
      await createSessionTable(db, { ...options, table })
    },
    async down(db) {
      await dropSessionTable(db, { table })
    },
  }
}

/** {@link createSessionTableMigration} for the default table `tessera_sessions`. */
export const sessionTableMigration: Migration = createSessionTableMigration()

/**
 * A Kysely {@link Migration} that adds the lease table `<table>_locks` (`up`, idempotent)
 * and drops it (`down`): for a database whose session table was created before leases
 * existed, so that `store.lock()` works. Give it a new name after your session migration.
 *
 * @example
 * ```ts
 * import { Migrator } from 'kysely'
 * import { createSessionLockTableMigration, createSessionTableMigration } from '@tessera/kysely'
 *
 * const migrator = new Migrator({
 *   db,
 *   provider: {
 *     async getMigrations() {
 *       return {
 *         '0001_sessions': createSessionTableMigration({ table: 'sessions' }),
 *         '0002_session_locks': createSessionLockTableMigration({ table: 'sessions' }),
 *       }
 *     },
 *   },
 * })
 * await migrator.migrateToLatest()
 * ```
 */
export function createSessionLockTableMigration(
  options: CreateSessionTableOptions = {},
): Migration {
  const table = parseTableName(options.table ?? DEFAULT_SESSION_TABLE).table
  return {
    async up(db) {
      await createSessionLockTable(db, { ...options, table })
    },
    async down(db) {
      await dropSessionLockTable(db, { table })
    },
  }
}

/** {@link createSessionLockTableMigration} for the default table `tessera_sessions`. */
export const sessionLockTableMigration: Migration = createSessionLockTableMigration()
