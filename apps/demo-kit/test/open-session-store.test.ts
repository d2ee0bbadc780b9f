import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSessionEngine, type SessionStore } from '@tessera/core'
import { freePort } from '@tessera/test-support'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type DemoSession,
  DemoStoreUnreachableError,
  type OpenedSessionStore,
  openSessionStore,
  type SessionStoreSpec,
  signIn,
} from '../src/index.js'
import { tempDatabase } from './database.js'

const stores: OpenedSessionStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close()
})

async function open(spec: SessionStoreSpec, label = spec.kind) {
  const { db } = await tempDatabase()
  const store = await openSessionStore({
    spec,
    database: db,
    table: 'demo_sessions',
    prefix: 'test:',
    label,
  })
  stores.push(store)
  return { store, db }
}

/** A record written through the store reads back: the store really works. */
async function roundTrip(store: SessionStore): Promise<void> {
  const key = 'k'.repeat(43)
  expect(
    await store.set(key, { payload: 'p', version: 1, expiresAt: Date.now() + 60_000 }, null),
  ).toBe(true)
  expect((await store.get(key))?.payload).toBe('p')
}

describe('openSessionStore', () => {
  it('keeps SQLite sessions in the demo database, in their own table', async () => {
    const { store, db } = await open({ kind: 'sqlite' })
    expect(store.perUser).toBe(true)
    await roundTrip(store.store as SessionStore)
    const rows = await sql<{ n: number }>`select count(*) as n from demo_sessions`.execute(db)
    expect(rows.rows[0]?.n).toBe(1)
  })

  it('opens MemoryStore, and CookieStore without the per-user index', async () => {
    const memory = await open({ kind: 'memory' })
    expect(memory.store.perUser).toBe(true)
    await roundTrip(memory.store.store as SessionStore)
    const cookie = await open({ kind: 'cookie' })
    expect(cookie.store.perUser).toBe(false)
  })

  it('opens the file store in the given folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-kit-files-'))
    try {
      const { store } = await open({ kind: 'file', dir: join(dir, 'sessions') })
      await roundTrip(store.store as SessionStore)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('fails at start, naming the store, when its server does not answer', async () => {
    const port = await freePort() // nothing listens there
    const cases: Array<[SessionStoreSpec, string]> = [
      [{ kind: 'postgres', url: `postgres://app:hunter2@127.0.0.1:${port}/app` }, 'PostgreSQL'],
      [{ kind: 'mysql', url: `mysql://root@127.0.0.1:${port}/test` }, 'MySQL'],
      [{ kind: 'redis', url: `redis://127.0.0.1:${port}` }, 'Redis'],
      [{ kind: 'mongodb', url: `mongodb://127.0.0.1:${port}/demo` }, 'MongoDB'],
    ]
    for (const [spec, label] of cases) {
      const started = Date.now()
      const { db } = await tempDatabase()
      const opening = openSessionStore({
        spec,
        database: db,
        table: 't',
        prefix: 'p:',
        label: `${label} (masked)`,
      })
      await expect(opening, label).rejects.toBeInstanceOf(DemoStoreUnreachableError)
      const error = (await opening.catch((e: unknown) => e)) as DemoStoreUnreachableError
      expect(error.code).toBe('DEMO_STORE_UNREACHABLE')
      expect(error.message).toContain(`Could not open the session store ${label} (masked)`)
      expect(error.message).toContain('Start that server, or point SESSION_STORE elsewhere')
      expect(error.message).not.toContain('hunter2')
      expect(Date.now() - started, label).toBeLessThan(8_000)
    }
  })
})

describe('signIn', () => {
  it('gives the session a new id under the user and keeps what the visitor had', async () => {
    const { store } = await open({ kind: 'memory' })
    const engine = createSessionEngine<DemoSession>({ secret: 's'.repeat(32), store: store.store })
    const rs = engine.start({ cookie: undefined, userAgent: 'test' })
    await rs.load()
    rs.session.set('cart', ['blue-tile'])
    rs.session.set('theme', 'dark')
    await rs.session.save()
    const before = rs.session.id
    await signIn(rs.session, '42')
    expect(rs.session.id).not.toBe(before)
    expect(rs.session.userId).toBe('42')
    expect(rs.session.get('cart')).toEqual(['blue-tile'])
    expect(rs.session.get('theme')).toBe('dark')
    await rs.commit({ status: 200 })
    expect((await engine.listUserSessions('42')).length).toBe(1)
  })
})
