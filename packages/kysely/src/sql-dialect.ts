import { SessionConfigError } from '@tessera/core'
import { type Kysely, MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely'

/** The SQL dialects the store speaks. Kysely dialects built on these adapters work too. */
export type SqlDialect = 'sqlite' | 'postgres' | 'mysql'

const DIALECTS: readonly SqlDialect[] = ['sqlite', 'postgres', 'mysql']

/**
 * Tells the dialect of `db` from its Kysely adapter: `SqliteAdapter` (better-sqlite3, libSQL,
 * D1, …), `PostgresAdapter` (pg, postgres.js, PGlite, …) or `MysqlAdapter` (mysql2,
 * PlanetScale, …). `override` wins when given; throws {@link SessionConfigError} when neither
 * tells.
 */
export function resolveDialect<DB>(db: Kysely<DB>, override?: SqlDialect): SqlDialect {
  if (override !== undefined) {
    if (!DIALECTS.includes(override)) {
      throw new SessionConfigError(
        'dialect',
        `expected one of ${DIALECTS.map((d) => `'${d}'`).join(', ')}; got ${JSON.stringify(override)}.`,
      )
    }
    return override
  }
  const adapter: unknown = db.getExecutor().adapter
  if (adapter instanceof SqliteAdapter) return 'sqlite'
  if (adapter instanceof PostgresAdapter) return 'postgres'
  if (adapter instanceof MysqlAdapter) return 'mysql'
  // A second copy of kysely (or a dialect that does not extend the built-in adapters):
  // fall back on the class names along the prototype chain.
  for (let proto = Object.getPrototypeOf(adapter); proto; proto = Object.getPrototypeOf(proto)) {
    const name = String((proto as { constructor?: { name?: unknown } }).constructor?.name ?? '')
    if (/sqlite|libsql|d1/i.test(name)) return 'sqlite'
    if (/postgres|pglite|pg/i.test(name)) return 'postgres'
    if (/mysql|mariadb|planetscale/i.test(name)) return 'mysql'
  }
  throw new SessionConfigError(
    'dialect',
    "could not tell the SQL dialect from the Kysely instance's adapter; pass `dialect: 'sqlite' | 'postgres' | 'mysql'`.",
  )
}
