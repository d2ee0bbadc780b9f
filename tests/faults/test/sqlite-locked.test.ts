import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionTable, KyselyStore } from '@tessera/kysely'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'
import { holdSqliteLock, type SqliteLockHolder } from '../src/sqlite-locker.js'

// Another process takes an exclusive lock on the app's SQLite file for three seconds under
// load. The app's connection runs in WAL mode (reads go on) with a short busy_timeout:
// better-sqlite3 waits for a lock synchronously, blocking the event loop, so a long timeout
// would stall every request rather than fail the writes that need the lock.
const BUSY_TIMEOUT_MS = 200

describe('faults under load: SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-fault-sqlite-'))
  const file = join(dir, 'sessions.db')
  let db: Kysely<unknown> | undefined
  let holder: SqliteLockHolder | undefined
  afterAll(async () => {
    await holder?.release()
    await db?.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('locked by another process: only 503s meanwhile, recovery, no session lost', async () => {
    const database = new Database(file)
    database.pragma('journal_mode = WAL')
    database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) })
    await createSessionTable(db, { table: 'sessions' })
    const report = await runFault({
      name: `SQLite locked by another process (BEGIN EXCLUSIVE for 3 s; WAL, busy_timeout ${BUSY_TIMEOUT_MS} ms)`,
      store: new KyselyStore({ db, table: 'sessions' }),
      inject: async () => {
        holder = await holdSqliteLock(file)
      },
      repair: async () => {
        await holder?.release()
        holder = undefined
      },
    })
    console.info(describeReport(report))
    expect(report.ok, 'reads went on during the lock (WAL)').toBeGreaterThan(0)
    expectFaultHandled(report, 10_000)
  })
})
