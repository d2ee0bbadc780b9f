import { randomUUID } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { SessionLockTableMissingError } from './session-lock-table-missing-error.js'
import { MAX_KEY_LENGTH, type SessionDatabase } from './session-table.js'
import { isMissingTableError } from './session-table-missing-error.js'
import type { SqlDialect } from './sql-dialect.js'

/** Attempts of a lease statement InnoDB rolls back as a deadlock victim. */
const MAX_DEADLOCK_RETRIES = 8

/** mysql2's error for InnoDB's deadlock victim (ER_LOCK_DEADLOCK, 1213). */
function isDeadlock(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const { code, errno } = error as { code?: unknown; errno?: unknown }
  return code === 'ER_LOCK_DEADLOCK' || errno === 1213
}

/**
 * The exclusive-section leases of {@link KyselyStore}, one row per held key in the lease
 * table `<table>_locks`, apart from the sessions. Taking a lease is one conditional write
 * judged by its affected-row count, like a create-only `set`; ending one deletes the row only
 * if it still holds the caller's token.
 */
export class KyselyLeases {
  readonly #db: Kysely<SessionDatabase>
  readonly #sessionTable: string
  readonly #table: string
  /** The table name typed as the lease table of {@link SessionDatabase}; the string is the real name. */
  readonly #t: 'locks'
  readonly #dialect: SqlDialect

  constructor(
    db: Kysely<SessionDatabase>,
    sessionTable: string,
    table: string,
    dialect: SqlDialect,
  ) {
    this.#db = db
    this.#sessionTable = sessionTable
    this.#table = table
    this.#t = table as 'locks'
    this.#dialect = dialect
  }

  async lock(key: string, leaseMs: number): Promise<string | null> {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new RangeError(
        `Session key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters (the key column's size).`,
      )
    }
    if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
      throw new RangeError(
        `lock() needs leaseMs, a positive finite number of milliseconds; got ${String(leaseMs)}.`,
      )
    }
    const token = randomUUID()
    const now = Date.now()
    // Whole milliseconds for the bigint column, rounded up so a lease never ends early.
    const row = { key, token, expires_at: Math.ceil(now + leaseMs) }
    if (this.#dialect === 'mysql') {
      // MySQL has no ON CONFLICT … WHERE (see KyselyStore.set). Insert unless a lease is
      // there, else take over an expired one: the UPDATE matches only while the row's lease
      // has ended, judged under the row's lock, so of two callers racing for the same
      // expired lease exactly one gets it. `INSERT IGNORE` has only the duplicate to ignore:
      // the key's length is checked and the token is ours.
      const inserted = await this.#mysql(() =>
        this.#db.insertInto(this.#t).ignore().values(row).executeTakeFirst(),
      )
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return token
      const updated = await this.#mysql(() =>
        this.#db
          .updateTable(this.#t)
          .set({ token, expires_at: row.expires_at })
          .where('key', '=', key)
          .where('expires_at', '<=', now)
          .executeTakeFirst(),
      )
      return Number(updated.numUpdatedRows) === 1 ? token : null
    }
    // SQLite and PostgreSQL: one statement that inserts, or takes over an expired lease; a
    // running lease makes it change 0 rows.
    const existingExpiry = sql.ref(`${this.#table}.expires_at`)
    const result = await this.#run(() =>
      this.#db
        .insertInto(this.#t)
        .values(row)
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet((eb) => ({
              token: eb.ref('excluded.token'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where(existingExpiry, '<=', now),
        )
        .executeTakeFirst(),
    )
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1 ? token : null
  }

  async unlock(key: string, token: string): Promise<void> {
    if (typeof key !== 'string' || typeof token !== 'string') return
    await this.#mysql(() =>
      this.#db.deleteFrom(this.#t).where('key', '=', key).where('token', '=', token).execute(),
    )
  }

  /**
   * Deletes leases that ended before `now` (left by holders that crashed). Not counted, as
   * leases are not sessions; a database without the lease table has none to delete.
   */
  async prune(now: number): Promise<void> {
    try {
      await this.#db.deleteFrom(this.#t).where('expires_at', '<=', now).execute()
    } catch (error) {
      if (!isMissingTableError(error)) throw error
    }
  }

  /**
   * {@link #run}, retrying a statement InnoDB chose as a deadlock victim. Concurrent inserts
   * of one primary key beside a delete of it deadlock by design in InnoDB (each insert waits
   * with a shared lock on the duplicate, then needs an exclusive one); the victim's statement
   * is rolled back whole, so running it again is safe. Other dialects run it once.
   */
  async #mysql<T>(query: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#run(query)
      } catch (error) {
        if (this.#dialect !== 'mysql' || !isDeadlock(error) || attempt >= MAX_DEADLOCK_RETRIES) {
          throw error
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * attempt))
      }
    }
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      if (isMissingTableError(error)) {
        throw new SessionLockTableMissingError(
          this.#sessionTable,
          this.#table,
          this.#dialect,
          error,
        )
      }
      throw error
    }
  }
}
