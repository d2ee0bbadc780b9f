import type { Migration } from 'kysely'
import {
  type CreateSessionTableOptions,
  createSessionTable,
  dropSessionTable,
} from './create-session-table.js'
import { DEFAULT_SESSION_TABLE, parseTableName } from './session-table.js'

/**
 * A Kysely {@link Migration} that creates the session table (`up`) and drops it (`down`).
 * Use it when your app runs Kysely's `Migrator`; {@link createSessionTable} does the same
 * without one.
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
