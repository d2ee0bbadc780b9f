import { createSessionTable, dropSessionTable } from '@tessera/kysely'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'

/**
 * Creates the benchmark's own session table on the shared PostgreSQL (a name no one else
 * uses, dropped again at the end), or resolves to `{ skipped }` when the server does not
 * answer within 3 s.
 */
export async function preparePostgres(url, table) {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 3000, max: 1 })
  pool.on('error', () => {})
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
  try {
    const { rows } = await sql`select version() as version`.execute(db)
    await createSessionTable(db, { table })
    return {
      url,
      table,
      version: String(rows[0].version).split(' ').slice(0, 2).join(' '),
      async drop() {
        await dropSessionTable(db, { table }).catch(() => {})
        await db.destroy()
      },
    }
  } catch (error) {
    await db.destroy().catch(() => {})
    return { skipped: `PostgreSQL at ${url} did not answer (${error.message})` }
  }
}
