// The Kysely README's PostgreSQL setup; DATABASE_URL names the database.
// #region postgres
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL })
// pg emits 'error' when a connection drops (server restart, pg_terminate_backend, network):
// on the pool for an idle connection, on the client for a checked-out one. Unhandled, that
// event crashes the process; handled, the failed query surfaces as a SessionStoreError (503)
// and the next request gets a fresh connection.
pool.on('error', (error) => console.warn('idle PostgreSQL connection lost', error))
pool.on('connect', (client) =>
  client.on('error', (error) => console.warn('PostgreSQL connection lost', error)),
)

const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
await createSessionTable(db)
const store = new KyselyStore({ db })

// #endregion postgres

export { db, store }
