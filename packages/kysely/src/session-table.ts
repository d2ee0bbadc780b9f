import { SessionConfigError } from '@tessera/core'

/** The table name the store and {@link createSessionTable} use when none is given. */
export const DEFAULT_SESSION_TABLE = 'tessera_sessions'

/**
 * One row of the session table, as Kysely sees it. Numbers may come back as strings
 * (`pg` returns `bigint` columns as strings) or bigints (better-sqlite3 `safeIntegers`);
 * the store converts them.
 */
export interface SessionTable {
  /** The hashed session key (base64url SHA-256, 43 characters). Primary key. */
  key: string
  /**
   * The serialized session: `text` on SQLite, `longtext` on MySQL, and `bytea` (its UTF-8
   * bytes) on PostgreSQL, whose `text` cannot hold U+0000.
   */
  payload: string | Uint8Array
  /** Bumped by the engine on every write. */
  version: number | string | bigint
  /**
   * The signed-in user, for the per-user index. `varbinary` on MySQL, where every text
   * collation either folds case or ignores trailing spaces; mysql2 returns it as a Buffer.
   */
  user_id: string | Uint8Array | null
  /** Expiry in milliseconds since the epoch. */
  expires_at: number | string | bigint
}

/**
 * One row of the lease table (`<table>_locks`), which holds the exclusive-section leases
 * apart from the sessions: at most one per session key, while a holder runs.
 */
export interface SessionLockTable {
  /** The session key the lease is named after. Primary key. */
  key: string
  /** The holder's random token; `unlock` deletes the row only with it. */
  token: string | Uint8Array
  /** When the lease ends, in milliseconds since the epoch; from then on it may be taken over. */
  expires_at: number | string | bigint
}

/** The database shape the store queries through (two tables under their configured names). */
export interface SessionDatabase {
  sessions: SessionTable
  locks: SessionLockTable
}

/** Longest `user_id` the schema holds (MySQL `VARCHAR(255)`; checked on every dialect). */
export const MAX_USER_ID_LENGTH = 255

/** Longest key the schema holds. */
export const MAX_KEY_LENGTH = 255

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/

/**
 * Checks a table name (`name` or `schema.name`) and returns its parts. Identifiers are
 * limited to letters, digits, `_` and `$` so that the derived index names stay valid.
 */
export function parseTableName(table: unknown, option = 'table'): { table: string; name: string } {
  if (typeof table !== 'string') {
    throw new SessionConfigError(option, `expected a table name string; got ${typeof table}.`)
  }
  const parts = table.split('.')
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part) && part.length <= 48)) {
    throw new SessionConfigError(
      option,
      `expected \`name\` or \`schema.name\` made of letters, digits, \`_\` and \`$\` (at most 48 characters each); got ${JSON.stringify(table)}.`,
    )
  }
  return { table, name: parts[parts.length - 1] as string }
}

/** The lease table of the session table `table` (`name` or `schema.name`): `<table>_locks`. */
export function lockTableName(table: string): string {
  return `${table}_locks`
}

/** Names of the two secondary indexes for a table's unqualified `name`. */
export function indexNames(name: string): { userId: string; expiresAt: string } {
  return { userId: `${name}_user_id_idx`, expiresAt: `${name}_expires_at_idx` }
}
