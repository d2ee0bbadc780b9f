import { randomUUID } from 'node:crypto'
import { createSessionTable, dropSessionTable, KyselyStore } from '@tessera/kysely'
import { requireMysql, type ServiceHandle } from '@tessera/test-support'
import { Kysely, MysqlDialect } from 'kysely'
import { createConnection, createPool } from 'mysql2'
import type { Connection } from 'mysql2/promise'
import { afterAll, describe, expect, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'
import { repeatedFault } from '../src/repeat.js'

// The app's MariaDB connections are killed (KILL CONNECTION), again and again for three
// seconds, under load. Only this test's own: the ids come from its pool's 'connection'
// events, so no other client of the shared server is touched.
const server: ServiceHandle | null = await requireMysql()

describe.skipIf(!server)('faults under load: MariaDB', () => {
  const table = `fault_sessions_${randomUUID().slice(0, 8)}`
  let db: Kysely<unknown> | undefined
  let admin: Connection | undefined
  afterAll(async () => {
    if (db) {
      await dropSessionTable(db, { table }).catch(() => {})
      await db.destroy()
    }
    await admin?.end()
    await server?.stop()
  })

  it('pool connections killed (KILL CONNECTION): only 503s meanwhile, recovery, no session lost', async () => {
    const pool = createPool({ uri: server!.url, connectionLimit: 10, connectTimeout: 2_000 })
    const ours = new Set<number>()
    pool.on('connection', (connection) => {
      ours.add(connection.threadId)
      // A killed connection emits 'error'; the pool drops it and the query fails.
      connection.on('error', () => {})
    })
    db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool }) })
    await createSessionTable(db, { table })
    admin = createConnection({ uri: server!.url }).promise()
    let killed = 0
    const killOurs = async () => {
      for (const id of [...ours]) {
        ours.delete(id)
        try {
          await admin!.query('KILL CONNECTION ?', [id])
          killed++
        } catch (error) {
          // Already gone (it closed on its own): not an error of the test.
          if ((error as { code?: string }).code !== 'ER_NO_SUCH_THREAD') throw error
        }
      }
    }
    const killer = repeatedFault(200, killOurs)
    const report = await runFault({
      name: 'MariaDB pool connections killed (KILL CONNECTION, every 200 ms for 3 s)',
      store: new KyselyStore({ db, table }),
      inject: killer.inject,
      repair: killer.repair,
    })
    console.info(`${describeReport(report)}; connections killed: ${killed}`)
    expect(killed, 'connections were killed').toBeGreaterThan(0)
    expect(killer.errors).toEqual([])
    expectFaultHandled(report, 10_000)
  })
})
