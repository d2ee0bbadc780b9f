import { randomBytes } from 'node:crypto'
import { requirePostgres, requireRedis } from '@tessera/test-support'
import connectPgSimple from 'connect-pg-simple'
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import express from 'express'
import expressSession from 'express-session'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  CookieJar,
  eventually,
  LEGACY_COOKIE,
  legacyApp,
  legacyRecord,
  legacySid,
  listen,
  send,
  setCookies,
  signInOnLegacy,
  TESSERA_COOKIE,
  tesseraApp,
} from './import-express-sessions-apps.js'

// The migration end to end with the real express-session stores apps run in production:
// connect-redis on Redis and connect-pg-simple on PostgreSQL. Without a server the suite
// prints one loud line and skips (under CI=true it fails instead).

const redis = await requireRedis()
const postgres = await requirePostgres()
const run = randomBytes(4).toString('hex')

interface LegacyBackend {
  store: expressSession.Store
  /** Removes what the suite wrote and closes its connections. */
  cleanUp(): Promise<void>
}

const backends: Array<[name: string, open: (() => LegacyBackend) | null]> = [
  [
    'connect-redis',
    redis &&
      (() => {
        const prefix = `tessera-import-${run}:`
        const client = new Redis(redis.url, { maxRetriesPerRequest: 1 })
        return {
          store: new ConnectRedisStore({ client, prefix }),
          async cleanUp() {
            const keys = await client.keys(`${prefix}*`)
            if (keys.length > 0) await client.del(...keys)
            client.disconnect()
          },
        }
      }),
  ],
  [
    'connect-pg-simple',
    postgres &&
      (() => {
        const tableName = `legacy_sessions_${run}`
        const pool = new pg.Pool({ connectionString: postgres.url, max: 4 })
        const PgStore = connectPgSimple(expressSession)
        return {
          // Its own table, created by connect-pg-simple from its table.sql.
          store: new PgStore({
            pool,
            tableName,
            createTableIfMissing: true,
            pruneSessionInterval: false,
          }),
          async cleanUp() {
            await pool.query(`DROP TABLE IF EXISTS "${tableName}"`)
            await pool.end()
          },
        }
      }),
  ],
]

afterAll(async () => {
  await redis?.stop()
  await postgres?.stop()
})

describe.each(backends)('importExpressSessions() from %s', (_name, open) => {
  const backend = open?.() ?? null
  const running: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.close()))
  })
  afterAll(async () => {
    await backend?.cleanUp()
  })
  const serve = async (app: Parameters<typeof listen>[0]) => {
    const served = await listen(app)
    running.push(served)
    return served.url
  }

  it.skipIf(!backend)(
    'keeps the passport login, deletes the record, clears the old cookie',
    async () => {
      const store = backend?.store as expressSession.Store
      const jar = new CookieJar()
      await signInOnLegacy(await serve(legacyApp(store)), jar)
      const sid = legacySid(jar)
      // express-session answers before its store's write has landed (its res.end writes the
      // response while save() runs): wait for the record, bounded.
      await expect
        .poll(() => legacyRecord(store, sid), { timeout: 3_000, interval: 50 })
        .toMatchObject({ passport: { user: '1' }, visits: 1 })

      const tessera = tesseraApp(express, store)
      const url = await serve(tessera.app)
      const first = await send(url, '/me', { jar, signal: AbortSignal.timeout(10_000) })
      expect(await first.json()).toMatchObject({
        user: 'ada',
        visits: 1,
        // express-session's cookie.maxAge (2 h), read back from the store, is the idle timeout.
        lifetime: { idleTimeoutMs: 2 * 3_600_000, persistent: true },
      })
      expect(setCookies(first, LEGACY_COOKIE)[0]).toMatch(/^connect\.sid=; Path=\/; Max-Age=0/)
      expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
      await eventually(tessera.events, 'completed')
      expect(await legacyRecord(store, sid)).toBeNull()

      const next = await send(url, '/me', { jar })
      expect(next.headers.get('set-cookie')).toBeNull()
      expect(await next.json()).toMatchObject({ user: 'ada', isNew: false })
      expect(jar.header()).toMatch(new RegExp(`^${TESSERA_COOKIE}=[^;]+$`))
      expect(tessera.legacyReads()).toBe(1)
    },
  )

  it.skipIf(!backend)(
    'ignores a session that expired in the store, and clears its cookie',
    async () => {
      const store = backend?.store as expressSession.Store
      const jar = new CookieJar()
      await signInOnLegacy(await serve(legacyApp(store)), jar, '?maxAge=1000')
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      const tessera = tesseraApp(express, store)
      const url = await serve(tessera.app)
      expect(await (await send(url, '/me', { jar })).json()).toMatchObject({ user: null })
      expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
      expect(jar.get(TESSERA_COOKIE)).toBeUndefined()
      expect(tessera.events).toEqual([{ type: 'ignored', reason: 'not-found' }])
    },
  )

  it.skipIf(!backend)('two parallel first requests both get the data', async () => {
    const store = backend?.store as expressSession.Store
    const jar = new CookieJar()
    await signInOnLegacy(await serve(legacyApp(store)), jar)
    const tessera = tesseraApp(express, store)
    const url = await serve(tessera.app)
    const jars = [jar.clone(), jar.clone()]
    const answers = await Promise.all(jars.map((j) => send(url, '/me', { jar: j })))
    for (const answer of answers) expect(await answer.json()).toMatchObject({ user: 'ada' })
    await eventually(tessera.events, 'completed', 2)
    for (const j of jars) {
      expect(await (await send(url, '/me', { jar: j })).json()).toMatchObject({ user: 'ada' })
    }
  })
})
