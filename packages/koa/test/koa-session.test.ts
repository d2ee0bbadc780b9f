import { CookieJar, send } from '@tessera/adapter-suite'
import { MemoryStore, type SessionStore, SessionStoreError } from '@tessera/core'
import { countingStore } from '@tessera/testkit'
import type Koa from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { csrf, session } from '../src/index.js'
import { koaVersions, listen } from './koa-harness.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'
const base = { secret: SECRET, cookie: { secure: false } } as const

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()))
})

/** Starts `app`; its URL, and the cookie jar of one browser. */
async function start(app: Koa): Promise<{ url: string; jar: CookieJar }> {
  const server = await listen(app)
  running.push(server)
  return { url: server.url, jar: new CookieJar() }
}

/** GETs `path` with the cookies of `jar`; the JSON body. */
async function getJson<T = Record<string, unknown>>(url: string, path: string, jar: CookieJar) {
  return (await (await send(url, path, { jar })).json()) as T
}

interface Cart {
  views: number
  cart: string[]
  profile: { name: string; tags: string[] }
}

describe.each(koaVersions)('$name', ({ Koa }) => {
  function app(options: Parameters<typeof session<Cart>>[0] = base) {
    const koa = new Koa()
    koa.silent = true
    return { koa, typed: koa.use(session<Cart>(options)) }
  }

  it('reads and writes data through properties, koa-session style', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      ctx.session.views = (ctx.session.views ?? 0) + 1
      ctx.body = {
        views: ctx.session.views,
        keys: Object.keys(ctx.session),
        has: 'views' in ctx.session,
      }
    })
    const { url, jar } = await start(koa)
    expect(await getJson(url, '/', jar)).toEqual({ views: 1, keys: ['views'], has: true })
    expect(await getJson(url, '/', jar)).toEqual({ views: 2, keys: ['views'], has: true })
  })

  it('saves nested mutation through properties', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      if (ctx.path === '/add') {
        ctx.session.profile ??= { name: 'ada', tags: [] }
        ctx.session.profile.tags.push(String(ctx.query.tag))
      }
      ctx.body = {
        profile: ctx.session.profile ?? null,
        json: JSON.parse(JSON.stringify(ctx.session)),
      }
    })
    const { url, jar } = await start(koa)
    await send(url, '/add?tag=a', { jar })
    await send(url, '/add?tag=b', { jar })
    const body = await getJson(url, '/', jar)
    expect(body.profile).toEqual({ name: 'ada', tags: ['a', 'b'] })
    expect(body.json).toEqual({ profile: { name: 'ada', tags: ['a', 'b'] } })
  })

  it('delete removes a key; members win over data and cannot be overwritten', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      if (ctx.path === '/del') delete ctx.session.views
      else ctx.session.views = 5
      let error = ''
      try {
        ;(ctx.session as unknown as Record<string, unknown>).id = 'x'
      } catch (e) {
        error = (e as Error).message
      }
      ctx.body = { views: ctx.session.views ?? null, idIsString: typeof ctx.session.id, error }
    })
    const { url, jar } = await start(koa)
    const first = await getJson(url, '/', jar)
    expect(first).toMatchObject({ views: 5, idIsString: 'string' })
    expect(first.error).toMatch(/session member/)
    expect(await getJson(url, '/del', jar)).toMatchObject({ views: null })
  })

  it('ctx.session = null destroys the record and clears the cookie', async () => {
    const store = new MemoryStore()
    const { koa, typed } = app({ ...base, store })
    typed.use((ctx) => {
      if (ctx.path === '/login') ctx.session.views = 1
      if (ctx.path === '/logout') ctx.session = null
      ctx.body = { views: ctx.session.views ?? null }
    })
    const { url, jar } = await start(koa)
    await send(url, '/login', { jar })
    const old = jar.get(COOKIE)
    expect(old).toBeDefined()
    const response = await send(url, '/logout', { jar })
    expect(await response.json()).toEqual({ views: null })
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(jar.get(COOKIE)).toBeUndefined()
    // The old cookie is dead: presenting it gives an empty session.
    const replay = new CookieJar()
    replay.set(COOKIE, old as string)
    expect(await getJson(url, '/', replay)).toEqual({ views: null })
  })

  it('writes after ctx.session = null start a new session with a new id', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      if (ctx.path === '/reset') {
        ctx.session = null
        ctx.session.views = 100
      } else if (ctx.path === '/replace') {
        ctx.session = { views: 7 }
      } else if (ctx.path === '/set') {
        ctx.session.views = 1
      }
      ctx.body = { views: ctx.session.views ?? null }
    })
    const { url, jar } = await start(koa)
    await send(url, '/set', { jar })
    const first = jar.get(COOKIE)
    await send(url, '/reset', { jar })
    expect(jar.get(COOKIE)).toBeDefined()
    expect(jar.get(COOKIE)).not.toBe(first)
    expect(await getJson(url, '/', jar)).toEqual({ views: 100 })
    const second = jar.get(COOKIE)
    await send(url, '/replace', { jar })
    expect(jar.get(COOKIE)).not.toBe(second)
    expect(await getJson(url, '/', jar)).toEqual({ views: 7 })
  })

  it('regenerate({ keepData: true }) keeps data and changes the id', async () => {
    const { koa, typed } = app()
    typed.use(async (ctx) => {
      if (ctx.path === '/regen') await ctx.session.regenerate({ keepData: true })
      else ctx.session.views = 3
      ctx.body = { views: ctx.session.views ?? null }
    })
    const { url, jar } = await start(koa)
    await send(url, '/', { jar })
    const before = jar.get(COOKIE)
    expect(await getJson(url, '/regen', jar)).toEqual({ views: 3 })
    expect(jar.get(COOKIE)).not.toBe(before)
    expect(await getJson(url, '/regen', jar)).toEqual({ views: 3 })
  })

  it('a thrown 4xx still saves and sends the cookie; a thrown 5xx saves nothing', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      if (ctx.path === '/read') {
        ctx.body = { views: ctx.session.views ?? null }
        return
      }
      ctx.session.views = ctx.path === '/teapot' ? 418 : 500
      ctx.throw(ctx.path === '/teapot' ? 418 : 500)
    })
    const { url, jar } = await start(koa)
    const teapot = await send(url, '/teapot', { jar })
    expect(teapot.status).toBe(418)
    expect(teapot.headers.get('set-cookie')).toMatch(/^tessera\.sid=/)
    expect(teapot.headers.get('vary')).toMatch(/Cookie/)
    expect(await getJson(url, '/read', jar)).toEqual({ views: 418 })
    const failed = await send(url, '/fail', { jar })
    expect(failed.status).toBe(500)
    expect(await getJson(url, '/read', jar)).toEqual({ views: 418 })
  })

  it('commits before a streamed body is sent', async () => {
    const { Readable } = await import('node:stream')
    const { koa, typed } = app()
    typed.use((ctx) => {
      if (ctx.path === '/stream') {
        ctx.session.views = 9
        ctx.type = 'text/plain'
        ctx.body = Readable.from(['a', 'b', 'c'])
        return
      }
      ctx.body = { views: ctx.session.views ?? null }
    })
    const { url, jar } = await start(koa)
    const response = await send(url, '/stream', { jar })
    expect(await response.text()).toBe('abc')
    expect(await getJson(url, '/', jar)).toEqual({ views: 9 })
  })

  it('does no store I/O for a request without a session id', async () => {
    const { store, calls } = countingStore()
    const { koa, typed } = app({ ...base, store })
    typed.use((ctx) => {
      ctx.body = 'hello'
    })
    const { url, jar } = await start(koa)
    const response = await send(url, '/', { jar })
    expect(await response.text()).toBe('hello')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(calls).toEqual({})
  })

  it('turns a store failure during the route into a 503 through Koa', async () => {
    const memory = new MemoryStore()
    let failing = false
    const store: SessionStore = {
      get: (key) => memory.get(key),
      set: (key, record, expected) => memory.set(key, record, expected),
      touch: (key, at) => memory.touch(key, at),
      destroy: (key) => (failing ? Promise.reject(new Error('down')) : memory.destroy(key)),
    }
    const errors: unknown[] = []
    const { koa, typed } = app({ ...base, store })
    koa.on('error', (error) => errors.push(error))
    typed.use(async (ctx) => {
      if (ctx.path === '/regen') await ctx.session.regenerate()
      else ctx.session.views = 1
      ctx.body = 'ok'
    })
    const { url, jar } = await start(koa)
    await send(url, '/', { jar })
    failing = true
    const response = await send(url, '/regen', { jar })
    expect(response.status).toBe(503)
    expect(errors[0]).toBeInstanceOf(SessionStoreError)
  })

  it('exposes the engine for administration', async () => {
    const middleware = session<Cart>({ ...base })
    expect(typeof middleware.engine.listUserSessions).toBe('function')
    const { koa, typed } = app(middleware.engine)
    typed.use(async (ctx) => {
      await ctx.session.login('ada')
      ctx.body = 'ok'
    })
    const { url, jar } = await start(koa)
    await send(url, '/', { jar })
    const sessions = await middleware.engine.listUserSessions('ada')
    expect(sessions).toHaveLength(1)
  })

  describe('csrf()', () => {
    function csrfApp(bodyParser?: (ctx: { request: { body?: unknown } }) => Promise<void>) {
      const { koa, typed } = app()
      typed.use(async (ctx, next) => {
        if (ctx.path === '/token') {
          ctx.body = { token: ctx.session.csrfToken() }
          return
        }
        if (bodyParser) await bodyParser(ctx as unknown as { request: { body?: unknown } })
        return next()
      })
      typed.use(csrf({ bodyLimit: 1024 }))
      typed.use((ctx) => {
        ctx.body = { ok: true, body: (ctx.request as unknown as { body?: unknown }).body ?? null }
      })
      return koa
    }

    it('accepts the token in the header, a form field or a JSON field', async () => {
      const { url, jar } = await start(csrfApp())
      const { token } = await getJson<{ token: string }>(url, '/token', jar)
      expect(
        (await send(url, '/x', { jar, method: 'POST', headers: { 'x-csrf-token': token } })).status,
      ).toBe(200)
      const form = await send(url, '/x', {
        jar,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `a=1&_csrf=${encodeURIComponent(token)}`,
      })
      expect(form.status).toBe(200)
      expect(((await form.json()) as { body: unknown }).body).toEqual({ a: '1', _csrf: token })
      const json = await send(url, '/x', {
        jar,
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: token }),
      })
      expect(json.status).toBe(200)
      expect((await send(url, '/x', { jar })).status).toBe(200)
    })

    it('refuses a missing or wrong token with 403, and a body over bodyLimit with 413', async () => {
      const { url, jar } = await start(csrfApp())
      const { token } = await getJson<{ token: string }>(url, '/token', jar)
      expect((await send(url, '/x', { jar, method: 'POST' })).status).toBe(403)
      expect(
        (await send(url, '/x', { jar, method: 'DELETE', headers: { 'x-csrf-token': 'nope' } }))
          .status,
      ).toBe(403)
      const big = await send(url, '/x', {
        jar,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `pad=${'x'.repeat(2048)}&_csrf=${token}`,
      })
      expect(big.status).toBe(413)
      const other = new CookieJar()
      await send(url, '/token', { jar: other })
      expect(
        (await send(url, '/x', { jar: other, method: 'POST', headers: { 'x-csrf-token': token } }))
          .status,
      ).toBe(403)
    })

    it('uses the body a body parser left on ctx.request.body', async () => {
      // A stand-in body parser: what it "parsed" comes from a test header.
      const { url, jar } = await start(
        csrfApp(async (ctx) => {
          const value = (ctx as unknown as { get(name: string): string }).get('x-test-parsed')
          ctx.request.body = { _csrf: value }
        }),
      )
      const { token } = await getJson<{ token: string }>(url, '/token', jar)
      const accepted = await send(url, '/x', {
        jar,
        method: 'POST',
        headers: { 'x-test-parsed': token },
      })
      expect(accepted.status).toBe(200)
      // The parsed body is used as is; the raw body is then left unread.
      const refused = await send(url, '/x', {
        jar,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test-parsed': 'wrong' },
        body: JSON.stringify({ _csrf: token }),
      })
      expect(refused.status).toBe(403)
    })

    it('explains when session() is missing', async () => {
      const koa = new Koa()
      koa.silent = true
      const errors: Error[] = []
      koa.on('error', (error: Error) => errors.push(error))
      koa.use(csrf())
      const { url, jar } = await start(koa)
      expect((await send(url, '/', { jar, method: 'POST' })).status).toBe(500)
      expect(errors[0]?.message).toMatch(/mount app\.use\(session\(/)
      expect((errors[0] as { code?: string }).code).toBe('SESSION_MIDDLEWARE_MISSING')
    })
  })
})
