import { randomUUID } from 'node:crypto'
import { createSessionTable, dropSessionTable, KyselyStore } from '@tessera/kysely'
import { requirePostgres, type ServiceHandle } from '@tessera/test-support'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'
import { repeatedFault } from '../src/repeat.js'

// The app's PostgreSQL connections are terminated with pg_terminate_backend, again and again
// for three seconds, under load. Only this test's own backends: its pool sets a unique
// application_name, and the terminating query matches on it (other clients of the shared
// server are never touched).
const server: ServiceHandle | null = await requirePostgres()

describe.skipIf(!server)('faults under load: PostgreSQL', () => {
  const table = `fault_sessions_${randomUUID().slice(0, 8)}`
  const applicationName = `tessera_fault_${randomUUID().slice(0, 8)}`
  const admin = server ? new pg.Client({ connectionString: server.url }) : undefined
  let db: Kysely<unknown> | undefined
  afterAll(async () => {
    if (db) {
      await dropSessionTable(db, { table }).catch(() => {})
      await db.destroy()
    }
    await admin?.end()
    await server?.stop()
  })

  it('backends terminated with pg_terminate_backend: only 503s meanwhile, recovery, no session lost', async () => {
    const pool = new pg.Pool({
      connectionString: server!.url,
      max: 10,
      application_name: applicationName,
      connectionTimeoutMillis: 1_000,
    })
    // pg emits 'error' for a connection killed while idle (pool) or checked out (client).
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
    await createSessionTable(db, { table })
    await admin!.connect()
    let terminated = 0
    const terminate = async () => {
      const result = await admin!.query<{ pid: number }>(
        `select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()`,
        [applicationName],
      )
      for (const { pid } of result.rows) {
        const killed = await admin!.query<{ ok: boolean }>(
          'select pg_terminate_backend($1) as ok',
          [pid],
        )
        if (killed.rows[0]?.ok) terminated++
      }
    }
    const killer = repeatedFault(200, terminate)
    const report = await runFault({
      name: 'PostgreSQL backends terminated (pg_terminate_backend, every 200 ms for 3 s)',
      store: new KyselyStore({ db, table }),
      inject: killer.inject,
      repair: killer.repair,
    })
    console.info(`${describeReport(report)}; backends terminated: ${terminated}`)
    expect(terminated, 'backends were terminated').toBeGreaterThan(0)
    expect(killer.errors).toEqual([])
    // The pool is back on fresh backends of its own (no restart of the app or the pool).
    const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
      where application_name = ${applicationName}`.execute(db)
    expect(Number(rows[0]?.n)).toBeGreaterThan(0)
    expectFaultHandled(report, 10_000)
  })
})
