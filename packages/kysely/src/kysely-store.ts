import {
  type KeyedStoredSession,
  parseDuration,
  SessionConfigError,
  type SessionStore,
  type StoredSession,
} from '@tessera/core'
import { type Kysely, sql } from 'kysely'
import { KyselyLeases } from './kysely-leases.js'
import type { KyselyStoreOptions } from './kysely-store-options.js'
import {
  DEFAULT_SESSION_TABLE,
  lockTableName,
  MAX_KEY_LENGTH,
  MAX_USER_ID_LENGTH,
  parseTableName,
  type SessionDatabase,
  type SessionTable,
} from './session-table.js'
import { isMissingTableError, SessionTableMissingError } from './session-table-missing-error.js'
import { resolveDialect, type SqlDialect } from './sql-dialect.js'

const DEFAULT_PRUNE_BATCH_SIZE = 1000

/**
 * A Tessera session store on a Kysely instance: SQLite, PostgreSQL or MySQL/MariaDB, one
 * row per session in a table {@link createSessionTable} creates. Conditional writes are
 * single statements judged by their affected-row count, so concurrent requests to one
 * session never overwrite each other, whatever the dialect. Expired rows are invisible at
 * once and deleted by {@link KyselyStore.prune} (or the `pruneInterval` timer).
 *
 * Exclusive-section leases (`lock`/`unlock`) live in a second table, `<table>_locks`, which
 * {@link createSessionTable} creates too; a database without it fails only `lock` and
 * `unlock`, with {@link SessionLockTableMissingError}.
 *
 * @example
 * ```ts
 * const store = new KyselyStore({ db, table: 'sessions' })
 * const engine = createSessionEngine({ secret, store })
 * ```
 */
export class KyselyStore<DB = unknown> implements SessionStore {
  /** The table this store uses, as configured. */
  readonly table: string
  /** The dialect in use, detected from the Kysely adapter unless configured. */
  readonly dialect: SqlDialect
  /** The lease table of exclusive sections, `<table>_locks`. */
  readonly lockTable: string

  readonly #db: Kysely<SessionDatabase>
  /** The table name typed as the one table of {@link SessionDatabase}; the string is the real name. */
  readonly #t: 'sessions'
  readonly #leases: KyselyLeases
  readonly #batchSize: number
  readonly #onPruneError: (error: unknown) => void
  #timer: ReturnType<typeof setInterval> | undefined
  #pruning: Promise<unknown> | undefined

  constructor(options: KyselyStoreOptions<DB>) {
    if (typeof options !== 'object' || options === null) {
      throw new SessionConfigError('db', 'pass `{ db }`, a Kysely instance.')
    }
    const db: unknown = options.db
    if (
      typeof db !== 'object' ||
      db === null ||
      typeof (db as Kysely<DB>).getExecutor !== 'function'
    ) {
      throw new SessionConfigError('db', 'expected a Kysely instance (`new Kysely({ dialect })`).')
    }
    // The instance's plugins are not for this table: CamelCasePlugin would rename the
    // result columns, WithSchemaPlugin move the table. `table: 'schema.name'` picks a schema.
    this.#db = (db as Kysely<SessionDatabase>).withoutPlugins()
    this.table = parseTableName(options.table ?? DEFAULT_SESSION_TABLE).table
    this.#t = this.table as 'sessions'
    this.dialect = resolveDialect(this.#db, options.dialect)
    this.lockTable = lockTableName(this.table)
    this.#leases = new KyselyLeases(this.#db, this.table, this.lockTable, this.dialect)
    this.#batchSize = options.pruneBatchSize ?? DEFAULT_PRUNE_BATCH_SIZE
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize < 1) {
      throw new SessionConfigError(
        'pruneBatchSize',
        `expected a positive integer; got ${JSON.stringify(options.pruneBatchSize)}.`,
      )
    }
    this.#onPruneError =
      options.onPruneError ??
      ((error) => console.warn(`[@tessera/kysely] pruning ${this.table} failed:`, error))
    if (options.pruneInterval !== undefined && options.pruneInterval !== false) {
      const ms = parseDuration('pruneInterval', options.pruneInterval)
      this.#timer = setInterval(() => this.#timedPrune(), ms)
      const timer: { unref?: () => unknown } = this.#timer as unknown as { unref?: () => unknown }
      timer.unref?.()
    }
  }

  async get(key: string): Promise<StoredSession | null> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom(this.#t)
        .select(['payload', 'version', 'user_id', 'expires_at'])
        .where('key', '=', key)
        .where('expires_at', '>', Date.now())
        .executeTakeFirst(),
    )
    return row ? toStored(row) : null
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    checkKey(key)
    const row = toRow(key, record, this.dialect)
    const now = Date.now()
    if (expected !== null) {
      // Also guarded by expiry: an expired record counts as absent, so it cannot be updated.
      const result = await this.#run(() =>
        this.#db
          .updateTable(this.#t)
          .set({
            payload: row.payload,
            version: row.version,
            user_id: row.user_id,
            expires_at: row.expires_at,
          })
          .where('key', '=', key)
          .where('version', '=', expected)
          .where('expires_at', '>', now)
          .executeTakeFirst(),
      )
      // pg rowCount, SQLite changes() and mysql2 affectedRows (FOUND_ROWS: matched rows; without
      // it, changed rows, the same here because `version` changes) all count the matched row.
      return Number(result.numUpdatedRows) > 0
    }
    if (this.dialect === 'mysql') {
      // MySQL has no ON CONFLICT … WHERE, and ON DUPLICATE KEY UPDATE reports 1 for an
      // untouched duplicate under mysql2's default FOUND_ROWS flag, so it cannot tell a
      // conflict from an insert. Drop an expired row first, then insert unless present.
      // `INSERT IGNORE` only has duplicates left to ignore: `toRow` checked every length.
      await this.#run(() =>
        this.#db
          .deleteFrom(this.#t)
          .where('key', '=', key)
          .where('expires_at', '<=', now)
          .execute(),
      )
      const result = await this.#run(() =>
        this.#db.insertInto(this.#t).ignore().values(row).executeTakeFirst(),
      )
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
    }
    // SQLite and PostgreSQL: one statement. It inserts, or replaces a row that has expired;
    // a live row makes it do nothing (0 rows).
    const existingExpiry = sql.ref(`${this.table}.expires_at`)
    const result = await this.#run(() =>
      this.#db
        .insertInto(this.#t)
        .values(row)
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet((eb) => ({
              payload: eb.ref('excluded.payload'),
              version: eb.ref('excluded.version'),
              user_id: eb.ref('excluded.user_id'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where(existingExpiry, '<=', now),
        )
        .executeTakeFirst(),
    )
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    await this.#run(() =>
      this.#db
        .updateTable(this.#t)
        .set({ expires_at: toMs(expiresAt, 'expiresAt') })
        .where('key', '=', key)
        .where('expires_at', '>', Date.now())
        .execute(),
    )
  }

  async destroy(key: string): Promise<void> {
    await this.#run(() => this.#db.deleteFrom(this.#t).where('key', '=', key).execute())
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    if (!storableUserId(userId)) return []
    const rows = await this.#run(() =>
      this.#db
        .selectFrom(this.#t)
        .select(['key', 'payload', 'version', 'user_id', 'expires_at'])
        .where('user_id', '=', userId)
        .where('expires_at', '>', Date.now())
        .orderBy('expires_at', 'desc')
        .execute(),
    )
    return rows.map((row) => ({ key: row.key, ...toStored(row) }))
  }

  /** Deletes the user's live sessions but `exceptKey`; expired ones are left to `prune()`. */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    if (!storableUserId(userId)) return 0
    const result = await this.#run(() => {
      let query = this.#db
        .deleteFrom(this.#t)
        .where('user_id', '=', userId)
        .where('expires_at', '>', Date.now())
      if (exceptKey !== undefined) query = query.where('key', '<>', exceptKey)
      return query.executeTakeFirst()
    })
    return Number(result.numDeletedRows)
  }

  /**
   * Deletes the rows that had expired when the call started, `pruneBatchSize` rows per
   * statement (each its own short transaction), and returns how many it deleted. Leases that
   * ended (left by crashed holders) are deleted too, without being counted.
   */
  async prune(): Promise<number> {
    const now = Date.now()
    let total = 0
    for (;;) {
      const deleted = await this.#pruneBatch(now)
      total += deleted
      if (deleted < this.#batchSize) break
    }
    await this.#leases.prune(now)
    return total
  }

  /**
   * Takes the exclusive lease on `key` for `leaseMs`: a token, or `null` while another
   * holder's lease runs. One conditional write to `<table>_locks`; never waits.
   */
  lock(key: string, leaseMs: number): Promise<string | null> {
    return this.#leases.lock(key, leaseMs)
  }

  /** Ends the lease `token` holds on `key`: deletes its row only if it still holds `token`. */
  unlock(key: string, token: string): Promise<void> {
    return this.#leases.unlock(key, token)
  }

  /**
   * Checks that the session table exists and has the store's columns (one query that reads no
   * rows): a missing table fails with {@link SessionTableMissingError}, which says how to
   * create it. The adapters call it before their first request; await `engine.ready()` at
   * start-up to fail the app's start instead.
   */
  async ready(): Promise<void> {
    await this.#run(() =>
      this.#db
        .selectFrom(this.#t)
        .select(['key', 'payload', 'version', 'user_id', 'expires_at'])
        .where('key', '=', '')
        .limit(1)
        .execute(),
    )
  }

  /** Stops the `pruneInterval` timer and waits for a running timed prune. The `db` stays open. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
    await this.#pruning
  }

  async #pruneBatch(now: number): Promise<number> {
    const result = await this.#run(() => {
      if (this.dialect === 'mysql') {
        // MySQL refuses LIMIT in an IN subquery on the same table, but has DELETE … LIMIT.
        return this.#db
          .deleteFrom(this.#t)
          .where('expires_at', '<=', now)
          .limit(this.#batchSize)
          .executeTakeFirst()
      }
      // PostgreSQL has no DELETE … LIMIT (SQLite only in some builds): limit a key subquery.
      return this.#db
        .deleteFrom(this.#t)
        .where('key', 'in', (eb) =>
          eb
            .selectFrom(this.#t)
            .select('key')
            .where('expires_at', '<=', now)
            .limit(this.#batchSize),
        )
        .executeTakeFirst()
    })
    return Number(result.numDeletedRows)
  }

  #timedPrune(): void {
    if (this.#pruning) return
    this.#pruning = this.prune()
      .catch((error: unknown) => this.#onPruneError(error))
      .finally(() => {
        this.#pruning = undefined
      })
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      if (isMissingTableError(error))
        throw new SessionTableMissingError(this.table, this.dialect, error)
      throw error
    }
  }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Column values come back as strings, or as bytes from `bytea` (pg) and `varbinary` (mysql2). */
function text(value: string | Uint8Array): string {
  return typeof value === 'string' ? value : decoder.decode(value)
}

function toStored(
  row: Pick<SessionTable, 'payload' | 'version' | 'user_id' | 'expires_at'>,
): StoredSession {
  return {
    payload: text(row.payload),
    version: Number(row.version),
    expiresAt: Number(row.expires_at),
    userId: row.user_id === null ? null : text(row.user_id),
  }
}

function toRow(key: string, record: StoredSession, dialect: SqlDialect): SessionTable {
  if (typeof record.payload !== 'string') {
    throw new TypeError(`Session payload must be a string; got ${typeof record.payload}.`)
  }
  if (!Number.isSafeInteger(record.version)) {
    throw new TypeError(`Session version must be a safe integer; got ${String(record.version)}.`)
  }
  const userId = record.userId ?? null
  if (userId !== null && !storableUserId(userId)) {
    throw new RangeError(
      `Session userId must be a string of at most ${MAX_USER_ID_LENGTH} characters (the user_id column's size), without U+0000 (PostgreSQL text cannot hold it).`,
    )
  }
  return {
    key,
    payload: dialect === 'postgres' ? encoder.encode(record.payload) : record.payload,
    version: record.version,
    user_id: userId,
    expires_at: toMs(record.expiresAt, 'expiresAt'),
  }
}

/** A user id the schema can hold on every dialect; no other id can have sessions. */
function storableUserId(userId: unknown): userId is string {
  return (
    typeof userId === 'string' && userId.length <= MAX_USER_ID_LENGTH && !userId.includes('\u0000')
  )
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new RangeError(
      `Session key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters (the key column's size).`,
    )
  }
}

/** Whole milliseconds for a `bigint` column (PostgreSQL rejects `1.5`). */
function toMs(value: number, name: string): number {
  if (!Number.isFinite(value))
    throw new TypeError(`Session ${name} must be a finite number; got ${value}.`)
  return Math.floor(value)
}
