import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { storedRecord } from '@tessera/testkit'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionTable, KyselyStore } from '../src/index.js'
import { sqliteDatabase, uniqueTable } from './databases.js'

// SQLite lets one connection write at a time. Another process holding the write lock makes
// a write fail at once with SQLITE_BUSY, unless `busy_timeout` lets it wait: what the README's
// `db.pragma('busy_timeout = 5000')` is for. A worker thread plays the other process.
const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3')
const HOLD_MS = 300

/** Opens its own connection, takes the write lock, posts 'locked', holds it for HOLD_MS. */
function holdWriteLock(file: string): { locked: Promise<void>; done: Promise<void> } {
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads')
    const Database = require(workerData.module)
    const db = new Database(workerData.file)
    db.pragma('busy_timeout = 5000')
    db.exec('BEGIN IMMEDIATE')
    parentPort.postMessage('locked')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs)
    db.exec('COMMIT')
    db.close()
    `,
    { eval: true, workerData: { module: betterSqlite3, file, holdMs: HOLD_MS } },
  )
  const locked = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  const done = new Promise<void>((resolve, reject) => {
    worker.once('exit', () => resolve())
    worker.once('error', reject)
  })
  return { locked, done }
}

describe('KyselyStore on SQLite with a second writer', () => {
  const database = sqliteDatabase()
  const table = uniqueTable()
  let db: Kysely<unknown>

  beforeAll(async () => {
    db = database.open()
    await createSessionTable(db, { table })
  })
  afterAll(async () => {
    await db.destroy()
    await database.release()
  })

  it('waits for the lock (busy_timeout) instead of failing with SQLITE_BUSY', async () => {
    const store = new KyselyStore({ db, table })
    const holder = holdWriteLock(database.url)
    await holder.locked
    const started = Date.now()
    const key = 'k'.repeat(43)
    expect(await store.set(key, storedRecord(), null)).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOLD_MS / 2)
    await holder.done
    expect((await store.get(key))?.version).toBe(1)
  })
})
