import { SessionConfigError, MemoryStore as TesseraMemoryStore } from '@tessera/core'
import express from 'express'
import expressSession from 'express-session'
import { afterEach, describe, expect, it } from 'vitest'
import { sign } from '../src/import-express-sessions-cookie.js'
import {
  type ExpressSessionStore,
  importExpressSessions,
  LegacySessionStoreError,
  session,
} from '../src/index.js'
import { EXPRESS_VERSIONS, errorHandler } from './express-harness.js'
import {
  CookieJar,
  eventually,
  LEGACY_COOKIE,
  LEGACY_SECRET,
  legacyApp,
  legacyRecord,
  legacySid,
  listen,
  send,
  setCookies,
  signInOnLegacy,
  TESSERA_COOKIE,
  TESSERA_SECRET,
  tesseraApp,
} from './import-express-sessions-apps.js'

// Issue 15, zero-logout migration: a browser signed in under express-session (express-session's
// own MemoryStore here; connect-redis and connect-pg-simple in import-express-sessions-stores)
// talks to the Tessera app with importExpressSessions() and stays signed in.

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()))
})
const serve = async (app: Parameters<typeof listen>[0]) => {
  const served = await listen(app)
  running.push(served)
  return served
}

/** A browser signed in on the legacy app, and the Tessera app it comes back to. */
async function migrating(
  factory = express,
  options: Parameters<typeof tesseraApp>[2] = {},
  sessionOptions: Parameters<typeof tesseraApp>[3] = {},
  visitQuery = '',
) {
  const store = new expressSession.MemoryStore()
  const legacy = await serve(legacyApp(store))
  const jar = new CookieJar()
  await signInOnLegacy(legacy.url, jar, visitQuery)
  const sid = legacySid(jar)
  const tessera = tesseraApp(factory, store, options, sessionOptions)
  const app = await serve(tessera.app)
  return { store, jar, sid, tessera, url: app.url }
}

describe.each(EXPRESS_VERSIONS)('importExpressSessions() on %s', (_name, factory) => {
  it('keeps a passport login across the switch, then runs on the Tessera cookie only', async () => {
    const { store, jar, sid, tessera, url } = await migrating(factory)
    expect(await legacyRecord(store, sid)).toMatchObject({ passport: { user: '1' }, visits: 1 })

    const first = await send(url, '/me', { jar })
    expect(await first.json()).toMatchObject({ user: 'ada', visits: 1 })
    // The old cookie is cleared in the response that brings the Tessera cookie.
    expect(setCookies(first, LEGACY_COOKIE)).toEqual([
      `${LEGACY_COOKIE}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`,
    ])
    expect(setCookies(first, TESSERA_COOKIE)).toHaveLength(1)
    expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
    expect(jar.get(TESSERA_COOKIE)).toBeDefined()
    await eventually(tessera.events, 'completed')
    expect(await legacyRecord(store, sid)).toBeNull()
    expect(tessera.events).toEqual([{ type: 'imported', shared: false }, { type: 'completed' }])

    const next = await send(url, '/me', { jar })
    expect(await next.json()).toMatchObject({ user: 'ada', visits: 1, isNew: false })
    expect(tessera.legacyReads()).toBe(1)
    // connect-flash's pending messages became Tessera flash messages.
    expect(await (await send(url, '/flash', { jar })).json()).toEqual({ info: ['Welcome back.'] })
  })
})

describe('importExpressSessions(): what is ignored', () => {
  it('clears a cookie with a bad signature without asking the store', async () => {
    const { jar, tessera, url } = await migrating()
    const value = decodeURIComponent(jar.get(LEGACY_COOKIE) ?? '')
    jar.set(LEGACY_COOKIE, encodeURIComponent(`${value.slice(0, -2)}xx`))
    const response = await send(url, '/me', { jar })
    expect(await response.json()).toMatchObject({ user: null })
    expect(setCookies(response, LEGACY_COOKIE)[0]).toMatch(/^connect\.sid=; Path=\/; Max-Age=0/)
    expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
    expect(tessera.legacyReads()).toBe(0)
    expect(tessera.events).toEqual([{ type: 'ignored', reason: 'bad-signature' }])
  })

  it('clears an unsigned cookie, and one signed with another secret', async () => {
    const { tessera, url } = await migrating()
    for (const value of ['plain-sid', `s:abc.${sign('abc', 'another secret')}`]) {
      const jar = new CookieJar()
      jar.set(LEGACY_COOKIE, encodeURIComponent(value))
      const response = await send(url, '/me', { jar })
      expect(await response.json()).toMatchObject({ user: null })
      expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
    }
    expect(tessera.legacyReads()).toBe(0)
  })

  it('ignores and clears a record that expired in the legacy store', async () => {
    const { store, jar, sid, tessera, url } = await migrating(express, {}, {}, '?maxAge=300')
    expect(await legacyRecord(store, sid)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 450))
    const response = await send(url, '/me', { jar })
    expect(await response.json()).toMatchObject({ user: null })
    expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
    expect(jar.get(TESSERA_COOKIE)).toBeUndefined()
    expect(tessera.events).toEqual([{ type: 'ignored', reason: 'not-found' }])
  })

  it('ignores a record whose cookie.expires has passed in a store that returns it anyway', async () => {
    const past = new Date(Date.now() - 1000).toISOString()
    const records = new Map<string, unknown>([
      ['old', { cookie: { originalMaxAge: 1000, expires: past }, passport: { user: '1' } }],
    ])
    const destroyed: string[] = []
    const store: ExpressSessionStore = {
      get: (sid, callback) => setImmediate(() => callback(null, records.get(sid) ?? null)),
      destroy: (sid, callback) => {
        destroyed.push(sid)
        setImmediate(() => callback?.())
      },
    }
    const tessera = tesseraApp(express, store)
    const { url } = await serve(tessera.app)
    const jar = new CookieJar()
    jar.set(LEGACY_COOKIE, encodeURIComponent(`s:old.${sign('old', LEGACY_SECRET)}`))
    expect(await (await send(url, '/me', { jar })).json()).toMatchObject({ user: null })
    expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
    expect(tessera.events).toEqual([{ type: 'ignored', reason: 'expired' }])
    expect(destroyed).toEqual(['old'])
  })

  it('leaves a request with a Tessera session alone: no legacy read, cookie untouched', async () => {
    const { jar, tessera, url } = await migrating()
    const stale = jar.get(LEGACY_COOKIE) as string
    await send(url, '/me', { jar })
    jar.set(LEGACY_COOKIE, stale)
    const response = await send(url, '/me', { jar })
    expect(await response.json()).toMatchObject({ user: 'ada', isNew: false })
    expect(setCookies(response, LEGACY_COOKIE)).toEqual([])
    expect(tessera.legacyReads()).toBe(1)
  })
})

describe('importExpressSessions(): secrets and lifetimes', () => {
  it('verifies with every secret: the old one second in the list', async () => {
    const { jar, url } = await migrating(express, { secret: ['a-newer-secret', LEGACY_SECRET] })
    expect(await (await send(url, '/me', { jar })).json()).toMatchObject({ user: 'ada' })
  })

  it('keeps a persistent lifetime: originalMaxAge becomes the idle timeout', async () => {
    const { jar, url } = await migrating()
    const body = (await (await send(url, '/me', { jar })).json()) as { lifetime: unknown }
    expect(body.lifetime).toEqual({
      idleTimeoutMs: 2 * 3_600_000,
      absoluteTimeoutMs: 7 * 86_400_000,
      persistent: true,
    })
  })

  it('raises the absolute timeout for a legacy maxAge longer than it', async () => {
    const thirtyDays = 30 * 86_400_000
    const { jar, url } = await migrating(express, {}, {}, `?maxAge=${thirtyDays}`)
    const response = await send(url, '/me', { jar })
    const body = (await response.json()) as { lifetime: unknown }
    expect(body.lifetime).toEqual({
      idleTimeoutMs: thirtyDays,
      absoluteTimeoutMs: thirtyDays,
      persistent: true,
    })
    expect(setCookies(response, TESSERA_COOKIE)[0]).toContain(`Max-Age=${thirtyDays / 1000}`)
  })

  it('keeps a browser-session cookie a browser-session cookie', async () => {
    const { jar, url } = await migrating(express, {}, {}, '?maxAge=browser')
    const response = await send(url, '/me', { jar })
    const body = (await response.json()) as { user: string; lifetime: { persistent: boolean } }
    expect(body.user).toBe('ada')
    expect(body.lifetime.persistent).toBe(false)
    const [cookie] = setCookies(response, TESSERA_COOKIE)
    expect(cookie).toBeDefined()
    expect(cookie).not.toMatch(/Max-Age|Expires/i)
  })

  it('takes the lifetime from the `lifetime` option when given', async () => {
    const seen: unknown[] = []
    const { jar, url } = await migrating(express, {
      lifetime: (legacy) => {
        seen.push(legacy.originalMaxAge, legacy.data.visits)
        return { idle: '1h' }
      },
    })
    const body = (await (await send(url, '/me', { jar })).json()) as {
      lifetime: { idleTimeoutMs: number }
    }
    expect(body.lifetime.idleTimeoutMs).toBe(3_600_000)
    // express-session stores `originalMaxAge` as `expires - Date.now()` read just after setting
    // `expires`, so it is 1 ms short when the clock ticks in between.
    expect(seen[0]).toBeGreaterThanOrEqual(2 * 3_600_000 - 5)
    expect(seen[0]).toBeLessThanOrEqual(2 * 3_600_000)
    expect(seen[1]).toBe(1)
  })
})

describe('importExpressSessions(): responses that do not carry the Tessera session', () => {
  it('a 5xx keeps the legacy cookie and record; the next request imports', async () => {
    const { store, jar, sid, tessera, url } = await migrating()
    const failed = await send(url, '/boom', { jar })
    expect(failed.status).toBe(500)
    expect(failed.headers.getSetCookie()).toEqual([])
    await eventually(tessera.events, 'kept')
    expect(await legacyRecord(store, sid)).not.toBeNull()
    expect(await (await send(url, '/me', { jar })).json()).toMatchObject({ user: 'ada' })
    await eventually(tessera.events, 'completed')
    expect(await legacyRecord(store, sid)).toBeNull()
  })

  it('a Secure cookie withheld on plain HTTP keeps the legacy session signed in', async () => {
    const { store, jar, sid, tessera, url } = await migrating()
    const response = await send(url, '/me', { jar, headers: { host: 'app.example' } })
    expect(await response.json()).toMatchObject({ user: 'ada' })
    expect(response.headers.getSetCookie()).toEqual([])
    await eventually(tessera.events, 'kept')
    expect(jar.get(LEGACY_COOKIE)).toBeDefined()
    expect(await legacyRecord(store, sid)).not.toBeNull()
  })

  it('a logout in the first request deletes the legacy record too', async () => {
    const { store, jar, sid, tessera, url } = await migrating()
    const logout = await send(url, '/logout', { method: 'POST', jar })
    expect(await logout.json()).toEqual({ user: null })
    await eventually(tessera.events, 'completed')
    expect(await legacyRecord(store, sid)).toBeNull()
    // The browser still sends the old cookie: it leads nowhere now, and is cleared.
    const after = await send(url, '/me', { jar })
    expect(await after.json()).toMatchObject({ user: null })
    expect(jar.get(LEGACY_COOKIE)).toBeUndefined()
  })
})

describe('importExpressSessions(): parallel first requests', () => {
  it('gives every parallel response a session with the data; any cookie the browser keeps works', async () => {
    const { store, jar, sid, tessera, url } = await migrating()
    const jars = [jar.clone(), jar.clone(), jar.clone(), jar.clone()]
    const answers = await Promise.all(jars.map((j) => send(url, '/me', { jar: j })))
    for (const answer of answers) expect(await answer.json()).toMatchObject({ user: 'ada' })
    const cookies = new Set(jars.map((j) => j.get(TESSERA_COOKIE)))
    expect(cookies.size).toBe(4)
    expect(tessera.legacyReads()).toBe(1)
    expect(tessera.events.filter((e) => e.type === 'imported')).toHaveLength(4)
    await eventually(tessera.events, 'completed', 4)
    expect(await legacyRecord(store, sid)).toBeNull()
    for (const j of jars) {
      expect(await (await send(url, '/me', { jar: j })).json()).toMatchObject({
        user: 'ada',
        visits: 1,
      })
    }
  })

  it('shares a read only within shareWindow: a replay after it finds nothing', async () => {
    const { jar, tessera, url } = await migrating(express, { shareWindow: 100 })
    const replay = jar.clone()
    await send(url, '/me', { jar })
    await eventually(tessera.events, 'completed')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(await (await send(url, '/me', { jar: replay })).json()).toMatchObject({ user: null })
    expect(tessera.events.at(-1)).toEqual({ type: 'ignored', reason: 'not-found' })
  })
})

describe('importExpressSessions(): legacy store failures fail soft', () => {
  it('a failing get: a fresh session, the error reported, the legacy cookie kept', async () => {
    const store: ExpressSessionStore = {
      get: (_sid, callback) => setImmediate(() => callback(new Error('connect ECONNREFUSED'))),
      destroy: (_sid, callback) => callback?.(),
    }
    const tessera = tesseraApp(express, store)
    const { url } = await serve(tessera.app)
    const jar = new CookieJar()
    jar.set(LEGACY_COOKIE, encodeURIComponent(`s:abc.${sign('abc', LEGACY_SECRET)}`))
    const response = await send(url, '/me', { jar })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ user: null })
    expect(jar.get(LEGACY_COOKIE)).toBeDefined()
    expect(tessera.storeErrors).toHaveLength(1)
    expect(tessera.storeErrors[0]).toBeInstanceOf(LegacySessionStoreError)
    expect(tessera.storeErrors[0]).toMatchObject({
      code: 'LEGACY_SESSION_STORE_FAILED',
      operation: 'get',
    })
    expect(tessera.storeErrors[0]?.message).toMatch(/ECONNREFUSED.*next request tries/)
    expect(tessera.events).toEqual([{ type: 'ignored', reason: 'store-error' }])
  })

  it('keeps the old cookie after a store error when Tessera shares its name', async () => {
    const store: ExpressSessionStore = {
      get: (_sid, callback) => setImmediate(() => callback(new Error('connect ECONNREFUSED'))),
      destroy: (_sid, callback) => callback?.(),
    }
    const tessera = tesseraApp(express, store, {}, { cookie: { name: LEGACY_COOKIE } })
    const { url } = await serve(tessera.app)
    const jar = new CookieJar()
    const value = encodeURIComponent(`s:abc.${sign('abc', LEGACY_SECRET)}`)
    jar.set(LEGACY_COOKIE, value)
    const response = await send(url, '/me', { jar })
    expect(await response.json()).toMatchObject({ user: null })
    expect(setCookies(response, LEGACY_COOKIE)).toEqual([])
    expect(jar.get(LEGACY_COOKIE)).toBe(value)
    expect(tessera.storeErrors).toHaveLength(1)
  })

  it('a get that never answers times out after storeTimeout', async () => {
    const store: ExpressSessionStore = { get: () => {}, destroy: () => {} }
    const tessera = tesseraApp(express, store, { storeTimeout: 100 })
    const { url } = await serve(tessera.app)
    const jar = new CookieJar()
    jar.set(LEGACY_COOKIE, encodeURIComponent(`s:abc.${sign('abc', LEGACY_SECRET)}`))
    const started = Date.now()
    const response = await send(url, '/me', { jar, signal: AbortSignal.timeout(5_000) })
    expect(response.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(tessera.storeErrors[0]).toMatchObject({
      code: 'LEGACY_SESSION_STORE_TIMEOUT',
      timedOut: true,
    })
  })
})

describe('importExpressSessions(): set-up', () => {
  const store = new expressSession.MemoryStore()

  it('refuses a missing or promise-style store, saying what to pass', () => {
    expect(() => importExpressSessions({ secret: 's' } as never)).toThrow(SessionConfigError)
    expect(() =>
      importExpressSessions({ secret: 's', store: new TesseraMemoryStore() as never }),
    ).toThrow(/importExpressSessions\.store.*get\(sid, callback\).*connect-redis/)
    expect(() => importExpressSessions({ secret: 's', store: {} as never })).toThrow(
      /get\(sid, cb\) and destroy\(sid, cb\)/,
    )
  })

  it('refuses a missing secret, an unknown option, a bad cookie option', () => {
    expect(() => importExpressSessions({ store } as never)).toThrow(/importExpressSessions\.secret/)
    expect(() => importExpressSessions({ secret: [], store })).toThrow(
      /importExpressSessions\.secret/,
    )
    expect(() => importExpressSessions({ secret: 's', store, resave: false } as never)).toThrow(
      /importExpressSessions\.resave.*unknown option/,
    )
    expect(() =>
      importExpressSessions({ secret: 's', store, cookie: { sameSite: 'auto' as never } }),
    ).toThrow(/cookie\.sameSite/)
    expect(() => importExpressSessions({ secret: 's', store, name: 'a b' })).toThrow(
      /importExpressSessions\.name/,
    )
  })

  it('answers a request with a legacy cookie where session() did not run with a typed error', async () => {
    const app = express()
    app.use(importExpressSessions({ secret: LEGACY_SECRET, store }))
    app.get('/', (_req, res) => {
      res.json({ reached: true })
    })
    app.use(errorHandler())
    const { url } = await serve(app)
    const jar = new CookieJar()
    jar.set(LEGACY_COOKIE, encodeURIComponent(`s:abc.${sign('abc', LEGACY_SECRET)}`))
    const response = await send(url, '/', { jar })
    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: 'SESSION_MIDDLEWARE_MISSING' })
  })

  it('clears the legacy cookie with its own path and domain', async () => {
    const tessera = tesseraApp(express, store, {
      cookie: { path: '/app', domain: 'example.test', sameSite: 'none' },
    })
    const { url } = await serve(tessera.app)
    const jar = new CookieJar()
    jar.set(LEGACY_COOKIE, 'forged')
    const response = await send(url, '/me', { jar })
    expect(setCookies(response, LEGACY_COOKIE)).toEqual([
      `${LEGACY_COOKIE}=; Path=/app; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.test; HttpOnly; Secure; SameSite=None`,
    ])
  })

  it('sends no clearing cookie when Tessera took over the legacy cookie name', async () => {
    const legacyStore = new expressSession.MemoryStore()
    const legacy = await serve(legacyApp(legacyStore))
    const jar = new CookieJar()
    await signInOnLegacy(legacy.url, jar)
    const app = express()
    app.use(
      session({
        secret: TESSERA_SECRET,
        store: new TesseraMemoryStore(),
        cookie: { name: LEGACY_COOKIE },
      }),
    )
    app.use(importExpressSessions({ secret: LEGACY_SECRET, store: legacyStore }))
    app.get('/', (req, res) => {
      res.json({ user: (req.session.get('passport') as { user?: string } | undefined)?.user })
    })
    const { url } = await serve(app)
    const first = await send(url, '/', { jar })
    expect(await first.json()).toEqual({ user: '1' })
    expect(setCookies(first, LEGACY_COOKIE).filter((line) => line.includes('Max-Age=0'))).toEqual(
      [],
    )
    expect(decodeURIComponent(jar.get(LEGACY_COOKIE) ?? '')).not.toMatch(/^s:/)
    expect(await (await send(url, '/', { jar })).json()).toEqual({ user: '1' })
  })
})
