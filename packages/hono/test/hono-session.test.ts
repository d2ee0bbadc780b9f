import { CookieJar } from '@tessera/adapter-suite'
import { MemoryStore, type SessionStore, SessionStoreError } from '@tessera/core'
import { countingStore } from '@tessera/testkit'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { afterEach, describe, expect, it } from 'vitest'
import { csrf, type SessionEnv, session } from '../src/index.js'
import { serveOnNode } from './hono-harness.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'
const base = { secret: SECRET, cookie: { secure: false } } as const

interface Data {
  views: number
  cart: string[]
}

function counterApp(options: Parameters<typeof session<Data>>[0] = base) {
  const app = new Hono<SessionEnv<Data>>()
  app.use(session<Data>(options))
  app.get('/', (c) => c.json({ views: c.var.session.get('views') ?? null }))
  app.post('/inc', (c) => c.json({ views: c.get('session').update('views', (n) => (n ?? 0) + 1) }))
  return app
}

/** A store whose calls fail while `failing.on` is set. */
function flakyStore() {
  const memory = new MemoryStore()
  const failing = { on: false }
  const guard = <T>(run: () => Promise<T>) =>
    failing.on ? Promise.reject(new Error('store down')) : run()
  const store: SessionStore = {
    get: (key) => guard(() => memory.get(key)),
    set: (key, record, expected) => guard(() => memory.set(key, record, expected)),
    touch: (key, at) => guard(() => memory.touch(key, at)),
    destroy: (key) => guard(() => memory.destroy(key)),
  }
  return { store, failing }
}

describe('session() with app.request()', () => {
  it('round-trips through every app.request() form', async () => {
    const app = counterApp()
    const jar = new CookieJar()
    jar.update(await app.request('/inc', { method: 'POST' }))
    expect(jar.get(COOKIE)).toMatch(/^[\w-]{43}\.[\w-]{43}$/)
    const forms: Array<() => Response | Promise<Response>> = [
      () => app.request('/inc', { method: 'POST', headers: jar.headers() }),
      () => app.request('http://example.test/inc', { method: 'POST', headers: jar.headers() }),
      () =>
        app.request(
          new Request('http://example.test/inc', { method: 'POST', headers: jar.headers() }),
        ),
      () =>
        app.request(
          '/inc',
          { method: 'POST', headers: new Headers(jar.headers()) },
          { SOME_BINDING: 1 },
        ),
      () =>
        app.fetch(
          new Request('http://example.test/inc', { method: 'POST', headers: jar.headers() }),
        ),
    ]
    for (const [index, send] of forms.entries()) {
      const response = jar.update(await send())
      expect(await response.json()).toEqual({ views: index + 2 })
    }
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({ views: 6 })
  })

  it('sets secure cookie defaults, Vary and Cache-Control', async () => {
    const app = counterApp({ secret: SECRET })
    const response = await app.request('/inc', { method: 'POST' })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    expect(response.headers.get('vary')).toBe('Cookie')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('does no store I/O and sets nothing when no session id is presented', async () => {
    const { store, calls } = countingStore()
    const app = new Hono()
    app.use(session({ ...base, store }))
    app.get('/', (c) => c.text('hi'))
    const response = await app.request('/')
    expect(await response.text()).toBe('hi')
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(response.headers.get('vary')).toBeNull()
    expect(calls).toEqual({})
  })

  it('adds headers to a response with immutable headers (Response.redirect, fetch)', async () => {
    const app = new Hono<SessionEnv<Data>>()
    app.use(session<Data>(base))
    app.get('/redirect', (c) => {
      c.var.session.set('views', 41)
      return Response.redirect('http://example.test/', 302)
    })
    app.get('/', (c) => c.json({ views: c.var.session.get('views') ?? null }))
    const jar = new CookieJar()
    const response = jar.update(await app.request('/redirect'))
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('http://example.test/')
    expect(jar.get(COOKIE)).toBeDefined()
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({ views: 41 })
  })

  it('saves nothing on a 5xx; a thrown HTTPException 4xx still saves and sets the cookie', async () => {
    const app = new Hono<SessionEnv<Data>>()
    app.use(session<Data>(base))
    app.get('/', (c) => c.json({ views: c.var.session.get('views') ?? null }))
    app.get('/teapot', (c) => {
      c.var.session.set('views', 418)
      throw new HTTPException(418, { message: 'teapot' })
    })
    app.get('/fail', (c) => {
      c.var.session.set('views', 500)
      throw new Error('route failed')
    })
    const jar = new CookieJar()
    const teapot = jar.update(await app.request('/teapot'))
    expect(teapot.status).toBe(418)
    expect(jar.get(COOKIE)).toBeDefined()
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({
      views: 418,
    })
    const errors = console.error
    console.error = () => {}
    try {
      expect((await app.request('/fail', { headers: jar.headers() })).status).toBe(500)
    } finally {
      console.error = errors
    }
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({
      views: 418,
    })
  })

  it('answers 503 on store failure with the default error handler, then recovers', async () => {
    const { store, failing } = flakyStore()
    const app = counterApp({ ...base, store })
    const jar = new CookieJar()
    jar.update(await app.request('/inc', { method: 'POST' }))
    failing.on = true
    const onLoad = await app.request('/', { headers: jar.headers() })
    expect(onLoad.status).toBe(503)
    expect(await onLoad.text()).toBe('Service Unavailable')
    failing.on = false
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({ views: 1 })
  })

  it('answers 503 when the store fails inside the route or at commit', async () => {
    const { store, failing } = flakyStore()
    const app = counterApp({ ...base, store })
    app.post('/regen', async (c) => {
      failing.on = true
      await c.var.session.regenerate()
      return c.text('ok')
    })
    app.post('/late', (c) => {
      failing.on = true
      c.var.session.set('views', 99)
      return c.text('ok')
    })
    const jar = new CookieJar()
    jar.update(await app.request('/inc', { method: 'POST' }))
    expect((await app.request('/regen', { method: 'POST', headers: jar.headers() })).status).toBe(
      503,
    )
    failing.on = false
    expect((await app.request('/late', { method: 'POST', headers: jar.headers() })).status).toBe(
      503,
    )
    failing.on = false
    expect(await (await app.request('/', { headers: jar.headers() })).json()).toEqual({ views: 1 })
  })

  it('lets app.onError see the SessionStoreError itself', async () => {
    const { store, failing } = flakyStore()
    const seen: unknown[] = []
    const app = counterApp({ ...base, store })
    app.onError((error, c) => {
      seen.push(error)
      const status = error instanceof SessionStoreError ? error.status : 500
      return c.json({ code: (error as SessionStoreError).code }, status as 503)
    })
    const jar = new CookieJar()
    jar.update(await app.request('/inc', { method: 'POST' }))
    failing.on = true
    const response = await app.request('/', { headers: jar.headers() })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ code: 'SESSION_STORE_FAILED' })
    expect(seen[0]).toBeInstanceOf(SessionStoreError)
  })

  it('exposes the engine for administration', async () => {
    const middleware = session<Data>(base)
    const app = new Hono<SessionEnv<Data>>()
    app.use(middleware)
    app.post('/login', async (c) => {
      await c.var.session.login('ada')
      return c.text('ok')
    })
    await app.request('/login', { method: 'POST', headers: { 'user-agent': 'vitest' } })
    const sessions = await middleware.engine.listUserSessions('ada')
    expect(sessions.map((s) => s.userAgent)).toEqual(['vitest'])
  })
})

describe('csrf()', () => {
  function csrfApp(options: Parameters<typeof csrf>[0] = {}) {
    const app = new Hono<SessionEnv>()
    app.use(session(base))
    app.use(csrf(options))
    app.get('/token', (c) => c.json({ token: c.var.session.csrfToken() }))
    app.post('/form', async (c) => c.json({ body: await c.req.parseBody() }))
    app.post('/json', async (c) => c.json({ body: await c.req.json() }))
    app.on(['PUT', 'PATCH', 'DELETE', 'POST'], '/any', (c) => c.json({ ok: true }))
    return app
  }

  async function tokenFor(app: ReturnType<typeof csrfApp>, jar: CookieJar): Promise<string> {
    const response = jar.update(await app.request('/token', { headers: jar.headers() }))
    return ((await response.json()) as { token: string }).token
  }

  it('accepts the header, and form, multipart and JSON fields; the handler can still read the body', async () => {
    const app = csrfApp()
    const jar = new CookieJar()
    const token = await tokenFor(app, jar)
    const viaHeader = await app.request('/any', {
      method: 'DELETE',
      headers: jar.headers({ 'x-csrf-token': token }),
    })
    expect(viaHeader.status).toBe(200)
    const form = await app.request('/form', {
      method: 'POST',
      headers: jar.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ a: '1', _csrf: token }).toString(),
    })
    expect(await form.json()).toEqual({ body: { a: '1', _csrf: token } })
    const multipart = new FormData()
    multipart.set('_csrf', token)
    multipart.set('b', '2')
    const formData = await app.request('/form', {
      method: 'POST',
      headers: jar.headers(),
      body: multipart,
    })
    expect(await formData.json()).toEqual({ body: { _csrf: token, b: '2' } })
    const json = await app.request('/json', {
      method: 'POST',
      headers: jar.headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ _csrf: token, c: 3 }),
    })
    expect(await json.json()).toEqual({ body: { _csrf: token, c: 3 } })
    expect((await app.request('/token', { headers: jar.headers() })).status).toBe(200)
  })

  it('refuses missing, wrong and foreign tokens with 403, and a body over bodyLimit with 413', async () => {
    const app = csrfApp({ bodyLimit: 512 })
    const jar = new CookieJar()
    const token = await tokenFor(app, jar)
    const post = (init: RequestInit) => app.request('/any', { method: 'POST', ...init })
    expect((await post({ headers: jar.headers() })).status).toBe(403)
    expect((await post({ headers: jar.headers({ 'x-csrf-token': 'wrong' }) })).status).toBe(403)
    const other = new CookieJar()
    await tokenFor(app, other)
    expect((await post({ headers: other.headers({ 'x-csrf-token': token }) })).status).toBe(403)
    const big = await post({
      headers: jar.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: `pad=${'x'.repeat(1024)}&_csrf=${token}`,
    })
    expect(big.status).toBe(413)
    const malformed = await post({
      headers: jar.headers({ 'content-type': 'application/json' }),
      body: '{',
    })
    expect(malformed.status).toBe(403)
  })

  it('reads a body an earlier middleware already parsed', async () => {
    const app = new Hono<SessionEnv>()
    app.use(session(base))
    app.use(async (c, next) => {
      if (c.req.method === 'POST') await c.req.parseBody()
      return next()
    })
    app.use(csrf())
    app.get('/token', (c) => c.json({ token: c.var.session.csrfToken() }))
    app.post('/form', (c) => c.text('ok'))
    const jar = new CookieJar()
    const token = ((await jar.update(await app.request('/token')).json()) as { token: string })
      .token
    const response = await app.request('/form', {
      method: 'POST',
      headers: jar.headers({ 'content-type': 'application/x-www-form-urlencoded' }),
      body: `_csrf=${token}`,
    })
    expect(response.status).toBe(200)
  })

  it('explains when session() is missing', async () => {
    const app = new Hono()
    app.use(csrf())
    app.post('/', (c) => c.text('ok'))
    let message = ''
    app.onError((error, c) => {
      message = error.message
      return c.text('err', 500)
    })
    await app.request('/', { method: 'POST' })
    expect(message).toMatch(/mount app\.use\(session\(/)
  })
})

describe('on @hono/node-server', () => {
  const running: Array<{ close(): Promise<void> }> = []
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()))
  })

  it('round-trips a session over real HTTP', async () => {
    const server = await serveOnNode(counterApp())
    running.push(server)
    const jar = new CookieJar()
    for (let i = 1; i <= 3; i++) {
      const response = jar.update(
        await fetch(`${server.url}/inc`, { method: 'POST', headers: jar.headers() }),
      )
      expect(await response.json()).toEqual({ views: i })
    }
    const response = await fetch(server.url, { headers: jar.headers() })
    expect(await response.json()).toEqual({ views: 3 })
    expect(response.headers.get('vary')).toBe('Cookie')
  })
})
