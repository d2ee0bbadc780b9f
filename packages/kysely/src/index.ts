export {
  type CreateSessionTableOptions,
  createSessionTable,
  dropSessionTable,
} from './create-session-table.js'
export { KyselyStore } from './kysely-store.js'
export type { KyselyStoreOptions } from './kysely-store-options.js'
export { SessionLockTableMissingError } from './session-lock-table-missing-error.js'
export {
  DEFAULT_SESSION_TABLE,
  type SessionLockTable,
  type SessionTable,
} from './session-table.js'
export {
  createSessionLockTableMigration,
  createSessionTableMigration,
  sessionLockTableMigration,
  sessionTableMigration,
} from './session-table-migration.js'
export { SessionTableMissingError } from './session-table-missing-error.js'
export type { SqlDialect } from './sql-dialect.js'
