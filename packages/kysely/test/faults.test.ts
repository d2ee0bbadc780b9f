import { connect, createServer, type Server, type Socket } from 'node:net'
import {
  createSessionEngine,
  type Session,
  type SessionEngine,
  SessionStoreError,
} from '@tessera/core'
import { freePort } from '@tessera/test-support'
import { exchange } from '@tessera/testkit'
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSessionTable, dropSessionTable, KyselyStore } from '../src/index.js'
import {
  mysqlDatabase,
  openMysql,
  openPostgres,
  postgresDatabase,
  type TestDatabase,
  uniqueTable,
} from './databases.js'

// Broken connections become a SessionStoreError (a 503), and the next request after the
// database is reachable again succeeds, without touching the shared servers: the store's
// pool goes through a TCP proxy this test closes and reopens, and PostgreSQL backends of
// this test's own pool are killed with pg_terminate_backend.

const SECRET = 'kysely-faults-test-secret-0123456789abcdef'
const servers = (await Promise.all([postgresDatabase(), mysqlDatabase()])).filter(
  (database): database is TestDatabase => database !== null,
)
afterAll(async () => {
  await Promise.all(servers.map((server) => server.release()))
})

/** A TCP proxy to `target` that can be shut (listener closed, connections cut) and reopened. */
class TcpProxy {
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined
  constructor(
    readonly port: number,
    readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target)
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.once('close', () => this.#sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    this.#server = server
  }

  async shut(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    const server = this.#server
    this.#server = undefined
    if (server) await new Promise((resolve) => server.close(resolve))
  }
}

/** The route of these tests: counts the session's visits, so a lost session shows. */
const visit = (session: Session) =>
  session.update('visits', (n) => ((n as number | undefined) ?? 0) + 1)

async function expectStoreError(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => expect.fail('the request should fail while the database is unreachable'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SessionStoreError)
  expect((error as SessionStoreError).status).toBe(503)
  return error as SessionStoreError
}

for (const server of servers) {
  describe(`KyselyStore faults on ${server.name}`, () => {
    const table = uniqueTable('faults')
    const target = new URL(server.url)
    let admin: Kysely<unknown>
    let proxy: TcpProxy
    let proxied: Kysely<unknown>
    let engine: SessionEngine

    beforeAll(async () => {
      admin = server.open()
      await createSessionTable(admin, { table })
      proxy = new TcpProxy(await freePort(), {
        host: target.hostname,
        port: Number(target.port || (server.dialect === 'postgres' ? 5432 : 3306)),
      })
      await proxy.open()
      const viaProxy = new URL(server.url)
      viaProxy.host = `127.0.0.1:${proxy.port}`
      proxied =
        server.dialect === 'postgres'
          ? openPostgres(viaProxy.href, { connectionTimeoutMillis: 2000 })
          : openMysql(viaProxy.href)
      engine = createSessionEngine({
        secret: SECRET,
        store: new KyselyStore({ db: proxied, table }),
        cookie: { secure: false },
        storeTimeout: 3000,
      })
    })
    afterAll(async () => {
      await engine?.close()
      await proxied?.destroy().catch(() => {})
      await proxy?.shut()
      await dropSessionTable(admin, { table })
      await admin.destroy()
    })

    it('a closed port is a SessionStoreError, and the next request after it reopens succeeds', async () => {
      const first = await exchange(engine, undefined, visit)
      expect(first.result).toBe(1)
      expect(first.cookie).toBeDefined()
      await proxy.shut() // cuts the pool's connections and refuses new ones
      const error = await expectStoreError(exchange(engine, first.cookie, visit))
      expect(error.code).toMatch(/^SESSION_STORE_(FAILED|TIMEOUT)$/)
      await expectStoreError(exchange(engine, first.cookie, visit)) // still down: fails again, no hang
      await proxy.open()
      // The pool may hand out one more dead connection; the app recovers by itself.
      const after = await retryOnce(() => exchange(engine, first.cookie, visit))
      expect(after.result).toBe(2)
    })
  })
}

const postgres = servers.find((server) => server.dialect === 'postgres')

describe.skipIf(!postgres)('KyselyStore faults on PostgreSQL: pg_terminate_backend', () => {
  const table = uniqueTable('terminated')
  const applicationName = uniqueTable('tessera_faults')
  let admin: Kysely<unknown>
  let db: Kysely<unknown>
  let engine: SessionEngine
  const poolErrors: unknown[] = []

  beforeAll(async () => {
    if (!postgres) return
    admin = postgres.open()
    await createSessionTable(admin, { table })
    const pool = new pg.Pool({
      connectionString: postgres.url,
      max: 4,
      application_name: applicationName,
    })
    // Without these listeners a killed connection crashes the process (pg emits 'error' on
    // the pool for an idle connection, on the client for a checked-out one); see the README.
    pool.on('error', (error) => poolErrors.push(error))
    pool.on('connect', (client) => client.on('error', (error) => poolErrors.push(error)))
    const { PostgresDialect, Kysely } = await import('kysely')
    db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
    engine = createSessionEngine({
      secret: SECRET,
      store: new KyselyStore({ db, table }),
      cookie: { secure: false },
      storeTimeout: 5000,
    })
  })
  afterAll(async () => {
    if (!postgres) return
    await engine.close()
    await db.destroy()
    await dropSessionTable(admin, { table })
    await admin.destroy()
  })

  /** Kills this test's backends: all of them, or only those waiting for a lock. */
  const terminate = (onlyWaiting = false) =>
    sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = ${applicationName}
      and (${onlyWaiting} = false or wait_event_type = 'Lock')`.execute(admin)

  it('a backend killed mid-query is a SessionStoreError; the next request succeeds', async () => {
    const first = await exchange(engine, undefined, visit)
    // Hold a lock on the table so the next read waits inside PostgreSQL, then kill it there.
    await admin.transaction().execute(async (trx) => {
      await sql`lock table ${sql.table(table)} in access exclusive mode`.execute(trx)
      const pending = exchange(engine, first.cookie, visit)
      pending.catch(() => {})
      await waitUntil(async () => {
        const { rows } = await sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where application_name = ${applicationName} and wait_event_type = 'Lock'`.execute(admin)
        return Number(rows[0]?.n) > 0
      })
      await terminate(true)
      const error = await expectStoreError(pending)
      expect(String((error.cause as Error | undefined)?.message)).toMatch(/terminat/i)
    })
    // Kysely releases the failed client without an error, so pg may pool it for a moment
    // before it sees the socket close: at most one more request can fail.
    const after = await retryOnce(() => exchange(engine, first.cookie, visit))
    expect(after.result).toBe(2)
  })

  it('killed idle connections: at most one failed request, then it works again', async () => {
    const first = await exchange(engine, undefined, visit)
    await terminate()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const after = await retryOnce(() => exchange(engine, first.cookie, visit))
    expect(after.result).toBe(2)
  })
})

/** Runs `fn`; when it fails with a SessionStoreError, runs it once more. */
async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SessionStoreError)
    return fn()
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
