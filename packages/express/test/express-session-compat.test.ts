import { CookieJar, send, switchableStore } from '@tessera/adapter-suite'
import { MemoryStore } from '@tessera/core'
import type { Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { type ExpressSessionOptions, session } from '../src/index.js'
import {
  EXPRESS_VERSIONS,
  type ExpressFactory,
  errorHandler,
  listen,
  wrap,
} from './express-harness.js'

const SECRET = 'compat-test-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'

declare module '../src/index.js' {
  interface SessionData {
    views: number
    cart: string[]
    note: string
  }
}

function baseApp(factory: ExpressFactory, options: Partial<ExpressSessionOptions> = {}): Express {
  const app = factory()
  app.use(
    session({ secret: SECRET, store: new MemoryStore(), cookie: { secure: false }, ...options }),
  )
  app.get('/data', (req, res) => {
    res.json({ data: req.session.all(), id: req.sessionID })
  })
  return app
}

for (const [name, factory] of EXPRESS_VERSIONS) {
  describe(`${name}: express-session compatible req.session`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((app) => app.close()))
    })
    async function start(app: Express) {
      app.use(errorHandler())
      const running = await listen(app)
      apps.push(running)
      return running.url
    }
    const data = async (url: string, jar: CookieJar) =>
      (await (await send(url, '/data', { jar })).json()) as {
        data: Record<string, unknown>
        id: string
      }

    it('reads and writes data as properties, nested mutation included', async () => {
      const app = baseApp(factory)
      app.post('/views', (req, res) => {
        req.session.views = (req.session.views ?? 0) + 1
        if (!req.session.cart) req.session.cart = []
        req.session.cart.push(`item-${req.session.views}`)
        res.json({
          views: req.session.views,
          has: 'views' in req.session,
          keys: Object.keys(req.session).sort(),
          json: JSON.parse(JSON.stringify(req.session)),
          spread: { ...req.session },
          own: Object.hasOwn(req.session, 'cart'),
          idMatches: req.sessionID === req.session.id,
        })
      })
      app.post('/forget', (req, res) => {
        delete req.session.cart
        res.json({ has: 'cart' in req.session, cart: req.session.cart ?? null })
      })
      const url = await start(app)
      const jar = new CookieJar()
      await send(url, '/views', { method: 'POST', jar })
      const second = await (await send(url, '/views', { method: 'POST', jar })).json()
      expect(second).toEqual({
        views: 2,
        has: true,
        keys: ['cart', 'views'],
        json: { cart: ['item-1', 'item-2'], views: 2 },
        spread: { cart: ['item-1', 'item-2'], views: 2 },
        own: true,
        idMatches: true,
      })
      expect(await (await send(url, '/forget', { method: 'POST', jar })).json()).toEqual({
        has: false,
        cart: null,
      })
      expect((await data(url, jar)).data).toEqual({ views: 2 })
    })

    it('regenerate(cb) and await regenerate() both start a fresh session; { keepData: true } keeps the data', async () => {
      const app = baseApp(factory)
      app.post('/note', (req, res) => {
        req.session.note = 'kept?'
        res.json({ ok: true })
      })
      app.post('/regenerate-cb', (req, res, next) => {
        const before = req.session
        const id = req.sessionID
        req.session.regenerate((error) => {
          if (error) return next(error)
          res.json({
            newObject: before !== req.session,
            oldSnapshot: before.note ?? null,
            note: req.session.note ?? null,
            newId: req.sessionID !== id,
          })
        })
      })
      app.post(
        '/regenerate-promise',
        wrap(async (req, res) => {
          const id = req.sessionID
          const before = req.session
          await req.session.regenerate()
          res.json({
            newObject: before !== req.session,
            oldSnapshot: before.note ?? null,
            note: req.session.note ?? null,
            newId: req.sessionID !== id,
          })
        }),
      )
      app.post(
        '/regenerate-keep',
        wrap(async (req, res) => {
          const id = req.sessionID
          await req.session.regenerate({ keepData: true })
          res.json({ note: req.session.note ?? null, newId: req.sessionID !== id })
        }),
      )
      const url = await start(app)

      const jar = new CookieJar()
      await send(url, '/note', { method: 'POST', jar })
      const old = jar.clone()
      const callback = await (await send(url, '/regenerate-cb', { method: 'POST', jar })).json()
      expect(callback).toEqual({ newObject: true, oldSnapshot: 'kept?', note: null, newId: true })
      expect((await data(url, old)).data).toEqual({})

      const jar2 = new CookieJar()
      await send(url, '/note', { method: 'POST', jar: jar2 })
      const old2 = jar2.clone()
      const promise = await (
        await send(url, '/regenerate-promise', { method: 'POST', jar: jar2 })
      ).json()
      expect(promise).toEqual({ newObject: true, oldSnapshot: 'kept?', note: null, newId: true })
      expect((await data(url, old2)).data).toEqual({})

      const jar3 = new CookieJar()
      await send(url, '/note', { method: 'POST', jar: jar3 })
      const old3 = jar3.clone()
      const kept = await (await send(url, '/regenerate-keep', { method: 'POST', jar: jar3 })).json()
      expect(kept).toEqual({ note: 'kept?', newId: true })
      expect(jar3.get(COOKIE)).not.toBe(old3.get(COOKIE))
      expect((await data(url, jar3)).data).toEqual({ note: 'kept?' })
      expect((await data(url, old3)).data).toEqual({})
    })

    it('save(cb), reload(cb), destroy(cb), touch() and their promise forms', async () => {
      const app = baseApp(factory)
      app.post('/save-cb', (req, res, next) => {
        req.session.note = 'saved'
        req.session.save((error) => (error ? next(error) : res.json({ ok: true })))
      })
      app.post('/reload-cb', (req, res, next) => {
        req.session.note = 'unsaved'
        req.session.reload((error) => (error ? next(error) : res.json({ note: req.session.note })))
      })
      app.post(
        '/reload-promise',
        wrap(async (req, res) => {
          req.session.note = 'unsaved'
          await req.session.reload()
          res.json({ note: req.session.note, touch: req.session.touch() === req.session })
        }),
      )
      app.post('/destroy-cb', (req, res, next) => {
        req.session.destroy((error) =>
          error ? next(error) : res.json({ empty: Object.keys(req.session).length }),
        )
      })
      const url = await start(app)
      const jar = new CookieJar()
      expect((await send(url, '/save-cb', { method: 'POST', jar })).status).toBe(200)
      expect(await (await send(url, '/reload-cb', { method: 'POST', jar })).json()).toEqual({
        note: 'saved',
      })
      expect(await (await send(url, '/reload-promise', { method: 'POST', jar })).json()).toEqual({
        note: 'saved',
        touch: true,
      })
      const destroyed = await send(url, '/destroy-cb', { method: 'POST', jar })
      expect(await destroyed.json()).toEqual({ empty: 0 })
      expect(jar.get(COOKIE)).toBeUndefined()
    })

    it('save(cb) reports a store failure to the callback, never as an unhandled rejection', async () => {
      const store = switchableStore(new MemoryStore())
      const app = baseApp(factory, { store })
      app.post('/save', (req, res) => {
        req.session.note = 'x'
        store.mode = 'fail'
        req.session.save((error) => {
          store.mode = 'ok'
          res.status(200).json({ error: (error as { code?: string } | undefined)?.code ?? null })
        })
      })
      const url = await start(app)
      const response = await send(url, '/save', { method: 'POST' })
      expect(await response.json()).toEqual({ error: 'SESSION_STORE_FAILED' })
    })

    it('exposes cookie attributes like express-session, and maxAge/expires shape the issued cookie', async () => {
      const app = baseApp(factory, { idleTimeout: '1h', absoluteTimeout: '1d' })
      app.get('/cookie', (req, res) => {
        const { cookie } = req.session
        res.json({
          httpOnly: cookie.httpOnly,
          secure: cookie.secure,
          sameSite: cookie.sameSite,
          path: cookie.path,
          originalMaxAge: cookie.originalMaxAge,
          maxAgeClose: Math.abs((cookie.maxAge ?? 0) - 86_400_000) < 5_000,
          expiresIsDate: cookie.expires instanceof Date,
        })
      })
      app.post('/remember', (req, res) => {
        req.session.note = 'x'
        req.session.cookie.maxAge = Number(req.query.days) * 86_400_000
        res.json({ maxAge: req.session.cookie.maxAge })
      })
      app.post('/browser-session', (req, res) => {
        req.session.note = 'x'
        req.session.cookie.expires = null
        res.json({ maxAge: req.session.cookie.maxAge })
      })
      const url = await start(app)
      expect(await (await send(url, '/cookie')).json()).toEqual({
        httpOnly: true,
        secure: false,
        sameSite: 'lax',
        path: '/',
        originalMaxAge: 86_400_000,
        maxAgeClose: true,
        expiresIsDate: true,
      })
      const remember = await send(url, '/remember?days=30', { method: 'POST' })
      expect(remember.headers.getSetCookie()[0]).toMatch(/; Max-Age=2592000(;|$)/)
      const browser = await send(url, '/browser-session', { method: 'POST' })
      expect(browser.headers.getSetCookie()[0]).not.toMatch(/Max-Age|Expires/i)
      expect(await browser.json()).toEqual({ maxAge: null })
    })

    it('req.session = null ends the session', async () => {
      const app = baseApp(factory)
      app.post('/note', (req, res) => {
        req.session.note = 'x'
        res.json({ ok: true })
      })
      app.post('/unset', (req, res) => {
        ;(req as { session: unknown }).session = null
        res.json({ ok: true })
      })
      const url = await start(app)
      const jar = new CookieJar()
      await send(url, '/note', { method: 'POST', jar })
      const old = jar.clone()
      const response = await send(url, '/unset', { method: 'POST', jar })
      expect(response.status).toBe(200)
      expect(jar.get(COOKIE)).toBeUndefined()
      expect((await data(url, old)).data).toEqual({})
    })

    it('refuses to overwrite session methods, allows assigning a member to itself', async () => {
      const app = baseApp(factory)
      app.post('/clobber', (req, res) => {
        const target = req.session as unknown as Record<string, unknown>
        const same = target.flash
        target.flash = same // connect-flash style: a no-op
        try {
          target.save = 'oops'
          res.json({ threw: false })
        } catch (error) {
          res.json({ threw: error instanceof TypeError })
        }
      })
      const url = await start(app)
      expect(await (await send(url, '/clobber', { method: 'POST' })).json()).toEqual({
        threw: true,
      })
    })

    it('is harmless when mounted twice', async () => {
      const app = baseApp(factory)
      const router = factory.Router()
      router.use(session({ secret: SECRET, cookie: { secure: false } }))
      router.post('/twice', (req, res) => {
        req.session.note = 'once'
        res.json({ ok: true })
      })
      app.use(router)
      const url = await start(app)
      const jar = new CookieJar()
      const response = await send(url, '/twice', { method: 'POST', jar })
      expect(response.headers.getSetCookie()).toHaveLength(1)
      expect((await data(url, jar)).data).toEqual({ note: 'once' })
    })
  })
}

describe('options', () => {
  it('exposes the engine', async () => {
    const middleware = session({ secret: SECRET })
    expect(middleware.engine.options.cookie.name).toBe(COOKIE)
    await middleware.engine.close()
  })
})
