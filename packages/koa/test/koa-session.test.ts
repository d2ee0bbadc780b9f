import { MemoryStore, type SessionStore, SessionStoreError } from '@tessera/core'
import type Koa from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { csrf, session } from '../src/index.js'
import { Client } from './http-client.js'
import { koaVersions, listen } from './koa-harness.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const base = { secret: SECRET, cookie: { secure: false } } as const

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()))
})

async function start(app: Koa): Promise<Client> {
  const server = await listen(app)
  running.push(server)
  return new Client(server.url)
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
    const client = await start(koa)
    expect(await client.json('/')).toEqual({ views: 1, keys: ['views'], has: true })
    expect(await client.json('/')).toEqual({ views: 2, keys: ['views'], has: true })
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
    const client = await start(koa)
    await client.request('/add?tag=a')
    await client.request('/add?tag=b')
    const body = await client.json('/')
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
    const client = await start(koa)
    const first = await client.json('/')
    expect(first).toMatchObject({ views: 5, idIsString: 'string' })
    expect(first.error).toMatch(/session member/)
    expect(await client.json('/del')).toMatchObject({ views: null })
  })

  it('ctx.session = null destroys the record and clears the cookie', async () => {
    const store = new MemoryStore()
    const { koa, typed } = app({ ...base, store })
    typed.use((ctx) => {
      if (ctx.path === '/login') ctx.session.views = 1
      if (ctx.path === '/logout') ctx.session = null
      ctx.body = { views: ctx.session.views ?? null }
    })
    const client = await start(koa)
    await client.request('/login')
    const old = client.cookie
    expect(old).toBeDefined()
    const response = await client.request('/logout')
    expect(await response.json()).toEqual({ views: null })
    expect(response.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(client.cookie).toBeUndefined()
    // The old cookie is dead: presenting it gives an empty session.
    const replay = new Client(client.baseUrl)
    replay.cookie = old
    expect(await replay.json('/')).toEqual({ views: null })
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
    const client = await start(koa)
    await client.request('/set')
    const first = client.cookie
    await client.request('/reset')
    expect(client.cookie).toBeDefined()
    expect(client.cookie).not.toBe(first)
    expect(await client.json('/')).toEqual({ views: 100 })
    const second = client.cookie
    await client.request('/replace')
    expect(client.cookie).not.toBe(second)
    expect(await client.json('/')).toEqual({ views: 7 })
  })

  it('regenerate() keeps data and changes the id', async () => {
    const { koa, typed } = app()
    typed.use(async (ctx) => {
      if (ctx.path === '/regen') await ctx.session.regenerate()
      else ctx.session.views = 3
      ctx.body = { views: ctx.session.views ?? null }
    })
    const client = await start(koa)
    await client.request('/')
    const before = client.cookie
    expect(await client.json('/regen')).toEqual({ views: 3 })
    expect(client.cookie).not.toBe(before)
    expect(await client.json('/regen')).toEqual({ views: 3 })
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
    const client = await start(koa)
    const teapot = await client.request('/teapot')
    expect(teapot.status).toBe(418)
    expect(teapot.headers.get('set-cookie')).toMatch(/^tessera\.sid=/)
    expect(teapot.headers.get('vary')).toMatch(/Cookie/)
    expect(await client.json('/read')).toEqual({ views: 418 })
    const failed = await client.request('/fail')
    expect(failed.status).toBe(500)
    expect(await client.json('/read')).toEqual({ views: 418 })
  })

  it('keeps headers the app set: Vary merges, other cookies stay', async () => {
    const { koa, typed } = app()
    typed.use((ctx) => {
      ctx.vary('Accept-Encoding')
      ctx.cookies.set('theme', 'dark', { httpOnly: false })
      ctx.session.views = 1
      ctx.body = 'ok'
    })
    const client = await start(koa)
    const response = await client.request('/')
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie')
    const cookies = response.headers.getSetCookie()
    expect(cookies.some((c) => c.startsWith('theme=dark'))).toBe(true)
    expect(cookies.some((c) => c.startsWith('tessera.sid='))).toBe(true)
    expect(response.headers.get('cache-control')).toBe('no-store')
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
    const client = await start(koa)
    const response = await client.request('/stream')
    expect(await response.text()).toBe('abc')
    expect(await client.json('/')).toEqual({ views: 9 })
  })

  it('does no store I/O for a request without a session id', async () => {
    const calls: string[] = []
    const memory = new MemoryStore()
    const store = new Proxy(memory, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver)
        if (typeof value !== 'function') return value
        return (...args: unknown[]) => {
          calls.push(String(property))
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const { koa, typed } = app({ ...base, store })
    typed.use((ctx) => {
      ctx.body = 'hello'
    })
    const client = await start(koa)
    const response = await client.request('/')
    expect(await response.text()).toBe('hello')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(calls).toEqual([])
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
    const client = await start(koa)
    await client.request('/')
    failing = true
    const response = await client.request('/regen')
    expect(response.status).toBe(503)
    expect(errors[0]).toBeInstanceOf(SessionStoreError)
  })

  it('withholds a Secure cookie on plain HTTP unless app.proxy trusts X-Forwarded-Proto', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.message)
    process.on('warning', onWarning)
    try {
      const store = new MemoryStore()
      const { koa, typed } = app({ secret: SECRET, store })
      typed.use((ctx) => {
        ctx.session.views = 1
        ctx.body = { ok: true }
      })
      const plain = await start(koa)
      const response = await plain.request('/')
      expect(response.headers.getSetCookie()).toEqual([])
      expect(store.size).toBe(0)
      const proxied = app({ secret: SECRET })
      proxied.koa.proxy = true
      proxied.typed.use((ctx) => {
        ctx.session.views = 1
        ctx.body = { ok: true }
      })
      const behindProxy = await start(proxied.koa)
      const secure = await behindProxy.request('/', { headers: { 'x-forwarded-proto': 'https' } })
      expect(secure.headers.getSetCookie()[0]).toMatch(/; Secure/)
      await new Promise((resolve) => setTimeout(resolve, 10))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings.filter((m) => m.includes('app.proxy = true'))).toHaveLength(1)
  })

  it('exposes the engine for administration', async () => {
    const middleware = session<Cart>({ ...base })
    expect(typeof middleware.engine.listUserSessions).toBe('function')
    const { koa, typed } = app(middleware.engine)
    typed.use(async (ctx) => {
      await ctx.session.login('ada')
      ctx.body = 'ok'
    })
    const client = await start(koa)
    await client.request('/')
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
      const client = await start(csrfApp())
      const { token } = await client.json<{ token: string }>('/token')
      expect(
        (await client.request('/x', { method: 'POST', headers: { 'x-csrf-token': token } })).status,
      ).toBe(200)
      const form = await client.request('/x', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `a=1&_csrf=${encodeURIComponent(token)}`,
      })
      expect(form.status).toBe(200)
      expect(((await form.json()) as { body: unknown }).body).toEqual({ a: '1', _csrf: token })
      const json = await client.request('/x', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: token }),
      })
      expect(json.status).toBe(200)
      expect((await client.request('/x')).status).toBe(200)
    })

    it('refuses a missing or wrong token with 403, and a body over bodyLimit with 413', async () => {
      const client = await start(csrfApp())
      const { token } = await client.json<{ token: string }>('/token')
      expect((await client.request('/x', { method: 'POST' })).status).toBe(403)
      expect(
        (await client.request('/x', { method: 'DELETE', headers: { 'x-csrf-token': 'nope' } }))
          .status,
      ).toBe(403)
      const big = await client.request('/x', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `pad=${'x'.repeat(2048)}&_csrf=${token}`,
      })
      expect(big.status).toBe(413)
      const other = new Client(client.baseUrl)
      await other.request('/token')
      expect(
        (await other.request('/x', { method: 'POST', headers: { 'x-csrf-token': token } })).status,
      ).toBe(403)
    })

    it('uses the body a body parser left on ctx.request.body', async () => {
      // A stand-in body parser: what it "parsed" comes from a test header.
      const client = await start(
        csrfApp(async (ctx) => {
          const value = (ctx as unknown as { get(name: string): string }).get('x-test-parsed')
          ctx.request.body = { _csrf: value }
        }),
      )
      const { token } = await client.json<{ token: string }>('/token')
      const accepted = await client.request('/x', {
        method: 'POST',
        headers: { 'x-test-parsed': token },
      })
      expect(accepted.status).toBe(200)
      // The parsed body is used as is; the raw body is then left unread.
      const refused = await client.request('/x', {
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
      const client = await start(koa)
      expect((await client.request('/', { method: 'POST' })).status).toBe(500)
      expect(errors[0]?.message).toMatch(/mount app\.use\(session\(/)
      expect((errors[0] as { code?: string }).code).toBe('SESSION_MIDDLEWARE_MISSING')
    })
  })
})
