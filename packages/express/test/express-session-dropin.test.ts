import { CookieJar, send } from '@tessera/adapter-suite'
import { MemoryStore, SessionConfigError } from '@tessera/core'
import type { Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { type ExpressSessionMiddleware, type ExpressSessionOptions, session } from '../src/index.js'
import { EXPRESS_VERSIONS, errorHandler, listen, wrap } from './express-harness.js'

// Issue 15: the express-session behaviours an existing app relies on, over HTTP, on Express 5
// and 4.

const SECRET = 'dropin-test-secret-that-is-long-enough-0123456789'
const DAY = 86_400_000

declare module '../src/index.js' {
  interface SessionData {
    user: string
    n: number
  }
}

const setCookieOf = (response: Response): string => response.headers.getSetCookie().join('\n')
const maxAgeOf = (response: Response): number | undefined => {
  const match = /Max-Age=(\d+)/.exec(setCookieOf(response))
  return match ? Number(match[1]) : undefined
}

for (const [name, factory] of EXPRESS_VERSIONS) {
  describe(`${name}: express-session behaviours`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((app) => app.close()))
    })

    async function start(
      options: Partial<ExpressSessionOptions>,
      routes: (app: Express, middleware: ExpressSessionMiddleware) => void,
    ) {
      const app = factory()
      const middleware = session({ secret: SECRET, store: new MemoryStore(), ...options })
      app.use(middleware)
      app.post('/login', (req, res) => {
        req.session.user = 'ada'
        res.json({ ok: true })
      })
      app.post('/n', (req, res) => {
        req.session.n = (req.session.n ?? 0) + 1
        res.json({ n: req.session.n })
      })
      app.get('/read', (req, res) => {
        res.json({ user: req.session.user ?? null, maxAge: req.session.cookie.maxAge })
      })
      routes(app, middleware)
      app.use(errorHandler())
      const running = await listen(app)
      apps.push(running)
      return running.url
    }

    it('takes an express-session configuration as it is where Tessera does the same', async () => {
      const url = await start(
        {
          name: 'connect.sid',
          resave: false,
          saveUninitialized: false,
          unset: 'destroy',
          rolling: false,
          // Without an absolute timeout the cookie's Max-Age is the idle timeout, as in
          // express-session (with one, Max-Age runs to the absolute deadline).
          absoluteTimeout: false,
          cookie: { maxAge: 3_600_000, secure: false, httpOnly: true, sameSite: 'lax' },
        },
        () => {},
      )
      const jar = new CookieJar()
      const login = await send(url, '/login', { method: 'POST', jar })
      expect(setCookieOf(login)).toMatch(/^connect\.sid=/)
      expect(maxAgeOf(login), 'cookie.maxAge is the idle timeout').toBe(3600)
      expect(await (await send(url, '/read', { jar })).json()).toEqual({
        user: 'ada',
        maxAge: 3_600_000,
      })
    })

    it('rolling: true re-sends the cookie on every response of an existing session', async () => {
      const url = await start({ rolling: true, cookie: { secure: false } }, () => {})
      const jar = new CookieJar()
      await send(url, '/login', { method: 'POST', jar })
      for (let i = 0; i < 3; i++) {
        const read = await send(url, '/read', { jar })
        expect(setCookieOf(read), `read ${i}`).toMatch(/tessera\.sid=.*Max-Age=/)
      }
      const anonymous = await send(url, '/read')
      expect(setCookieOf(anonymous), 'no session, no cookie').toBe('')
    })

    it('req.session.cookie.maxAge = n is remembered with the session ("remember me"); null makes a browser-session cookie', async () => {
      const url = await start({ cookie: { secure: false }, absoluteTimeout: false }, (app) => {
        app.post('/remember', (req, res) => {
          req.session.user = 'ada'
          req.session.cookie.maxAge = 7 * DAY
          res.json({ maxAge: req.session.cookie.maxAge })
        })
        app.post('/forget', (req, res) => {
          req.session.cookie.expires = null
          res.json({ maxAge: req.session.cookie.maxAge })
        })
        app.post('/until', (req, res) => {
          req.session.cookie.expires = new Date(Date.now() + 2 * DAY)
          res.end()
        })
      })
      const jar = new CookieJar()
      const remember = await send(url, '/remember', { method: 'POST', jar })
      expect(await remember.json()).toEqual({ maxAge: 7 * DAY })
      expect(maxAgeOf(remember)).toBe(7 * 86_400)
      // Remembered with the session: the next requests see the same lifetime.
      await send(url, '/n', { method: 'POST', jar })
      const read = (await (await send(url, '/read', { jar })).json()) as { maxAge: number }
      expect(read.maxAge, 'remembered on the next request').toBe(7 * DAY)
      const until = await send(url, '/until', { method: 'POST', jar })
      expect(Math.abs((maxAgeOf(until) ?? 0) - 2 * 86_400)).toBeLessThanOrEqual(1)
      const forget = await send(url, '/forget', { method: 'POST', jar })
      expect(await forget.json()).toEqual({ maxAge: null })
      expect(setCookieOf(forget)).toMatch(/tessera\.sid=/)
      expect(setCookieOf(forget), 'a browser-session cookie').not.toMatch(/Max-Age|Expires/)
      const after = (await (await send(url, '/read', { jar })).json()) as { maxAge: number | null }
      expect(after.maxAge, 'still one on the next request').toBeNull()
    })

    it('a maxAge over the maxLifetime ceiling is refused with what to change', async () => {
      const url = await start({ cookie: { secure: false } }, (app) => {
        app.post('/forever', (req, res) => {
          try {
            req.session.cookie.maxAge = 5000 * DAY
            res.json({ refused: false })
          } catch (error) {
            res.json({ refused: error instanceof TypeError, message: (error as Error).message })
          }
        })
      })
      const body = (await (await send(url, '/forever', { method: 'POST' })).json()) as {
        refused: boolean
        message: string
      }
      expect(body.refused).toBe(true)
      expect(body.message).toMatch(/maxLifetime/)
    })

    it('httpOnly, secure, sameSite, path, domain and priority are writable for this response, checked like the options', async () => {
      const url = await start({ cookie: { secure: false } }, (app) => {
        app.post('/attributes', (req, res) => {
          req.session.user = 'ada'
          const { cookie } = req.session
          cookie.httpOnly = false
          cookie.sameSite = 'strict'
          cookie.path = '/'
          cookie.domain = 'localhost'
          cookie.priority = 'high'
          res.json(cookie)
        })
        app.post('/none-without-secure', (req, res) => {
          try {
            req.session.cookie.sameSite = 'none'
            res.json({ refused: false })
          } catch (error) {
            res.json({ refused: error instanceof TypeError, message: (error as Error).message })
          }
        })
      })
      const response = await send(url, '/attributes', { method: 'POST' })
      const header = setCookieOf(response)
      expect(header).not.toMatch(/HttpOnly/)
      expect(header).toMatch(/SameSite=Strict/)
      expect(header).toMatch(/Domain=localhost/)
      expect(header).toMatch(/Priority=High/)
      expect(await response.json()).toMatchObject({
        httpOnly: false,
        sameSite: 'strict',
        domain: 'localhost',
        priority: 'high',
      })
      const refused = (await (
        await send(url, '/none-without-secure', { method: 'POST' })
      ).json()) as {
        refused: boolean
        message: string
      }
      expect(refused.refused).toBe(true)
      expect(refused.message).toMatch(/SameSite=None needs secure/)
    })

    it("secure: 'auto' and sameSite: 'auto' follow the request's protocol (proxy: true trusts X-Forwarded-Proto)", async () => {
      const url = await start(
        { proxy: true, cookie: { secure: 'auto', sameSite: 'auto' } },
        () => {},
      )
      // A host that is not loopback, over plain HTTP: no Secure, yet the cookie goes out.
      const http = await send(url, '/login', { method: 'POST', headers: { host: 'app.example' } })
      expect(setCookieOf(http)).toMatch(/tessera\.sid=/)
      expect(setCookieOf(http)).not.toMatch(/Secure/)
      expect(setCookieOf(http)).toMatch(/SameSite=Lax/)
      const https = await send(url, '/login', {
        method: 'POST',
        headers: { host: 'app.example', 'x-forwarded-proto': 'https' },
      })
      expect(setCookieOf(https)).toMatch(/; Secure/)
      expect(setCookieOf(https)).toMatch(/SameSite=None/)
    })

    it('cookie as a function of req sets per-request attributes', async () => {
      const url = await start(
        {
          cookie: (req) => ({
            secure: false,
            sameSite: req.headers['x-embed'] === '1' ? 'strict' : 'lax',
          }),
        },
        () => {},
      )
      const embedded = await send(url, '/login', { method: 'POST', headers: { 'x-embed': '1' } })
      expect(setCookieOf(embedded)).toMatch(/SameSite=Strict/)
      const plain = await send(url, '/login', { method: 'POST' })
      expect(setCookieOf(plain)).toMatch(/SameSite=Lax/)
    })

    it('reload(cb) reports a session that is gone and leaves req.session as it was', async () => {
      const url = await start({ cookie: { secure: false } }, (app, middleware) => {
        app.post(
          '/sign-in',
          wrap(async (req, res) => {
            await req.session.login('ada')
            req.session.user = 'ada'
            res.end()
          }),
        )
        app.post(
          '/reload-gone',
          wrap(async (req, res) => {
            req.session.n = 42
            // Signed out everywhere by another request while this one runs.
            await middleware.engine.revokeUserSessions('ada')
            req.session.reload((error) => {
              res.json({
                error: error ? (error as { code?: string }).code : null,
                n: req.session.n,
                user: req.session.user,
              })
            })
          }),
        )
      })
      const jar = new CookieJar()
      await send(url, '/sign-in', { method: 'POST', jar })
      const answer = await send(url, '/reload-gone', { method: 'POST', jar })
      expect(await answer.json()).toEqual({ error: 'SESSION_GONE', n: 42, user: 'ada' })
      expect(
        await (await send(url, '/read', { jar })).json(),
        'and the revoked session stays gone',
      ).toMatchObject({ user: null })
    })

    it('res.end() twice behaves as on a plain Node response; headersSent is true after end()', async () => {
      const url = await start({ cookie: { secure: false } }, (app) => {
        app.post('/end-twice', (req, res) => {
          req.session.user = 'ada'
          res.end('first')
          const sent = res.headersSent
          let threw: string | undefined
          try {
            res.setHeader('x-late', '1')
          } catch (error) {
            threw = (error as { code?: string }).code
          }
          res.end()
          res.end(() => {})
          // What the route saw, out of band (the response is already complete).
          observed.push({ sent, threw, writableEnded: res.writableEnded })
        })
      })
      const observed: Array<Record<string, unknown>> = []
      const response = await send(url, '/end-twice', { method: 'POST' })
      expect(await response.text()).toBe('first')
      expect(response.headers.get('x-late')).toBeNull()
      expect(setCookieOf(response), 'the session was still saved').toMatch(/tessera\.sid=/)
      expect(observed).toEqual([
        { sent: true, threw: 'ERR_HTTP_HEADERS_SENT', writableEnded: true },
      ])
    })

    it('cookie.path: the session is read and its cookie set only under that path', async () => {
      const url = await start({ cookie: { secure: false, path: '/app' } }, (app) => {
        app.post('/app/login', (req, res) => {
          req.session.user = 'ada'
          res.end()
        })
        app.get('/app/who', (req, res) => {
          res.json({ user: req.session.user ?? null })
        })
        app.get('/elsewhere', (req, res) => {
          res.json({ session: req.session === undefined ? 'undefined' : 'present' })
        })
      })
      const jar = new CookieJar()
      const login = await send(url, '/app/login', { method: 'POST', jar })
      expect(setCookieOf(login)).toMatch(/Path=\/app/)
      // The jar is not path-aware: it sends the cookie everywhere, which tests the server side.
      expect(await (await send(url, '/app/who', { jar })).json()).toEqual({ user: 'ada' })
      expect(await (await send(url, '/elsewhere', { jar })).json()).toEqual({
        session: 'undefined',
      })
      expect(await (await send(url, '/application', { jar })).status).toBe(404)
    })
  })
}

describe('express-session options Tessera does not take', () => {
  it('fail at start-up with what to do', () => {
    const attempts: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ resave: true }, 'resave', /writes only what changed/],
      [{ saveUninitialized: true }, 'saveUninitialized', /once it holds data/],
      [{ unset: 'keep' }, 'unset', /always deletes/],
      [{ genid: () => 'x' }, 'genid', /CSPRNG/],
      [{ cookie: { maxAge: 1000 }, idleTimeout: '1h' }, 'cookie.maxAge', /not both/],
      [{ cookie: { expires: new Date() } }, 'cookie.expires', /cookie.maxAge/],
      [{ name: 'a', cookie: { name: 'b' } }, 'name', /give one/],
      [{ cookie: { secure: 'auto', name: '__Host-sid' } }, 'cookie.secure', /always be Secure/],
      [{ cookie: { secure: 'auto', sameSite: 'none' } }, 'cookie.sameSite', /sameSite: 'auto'/],
      [
        { cookie: { secure: false, sameSite: 'auto' } },
        'cookie.sameSite',
        /secure: true or 'auto'/,
      ],
      [{ cookie: { nonsense: 1 } }, 'cookie.nonsense', /unknown cookie option/],
      [{ notAnOption: 1 }, 'notAnOption', /./],
    ]
    for (const [extra, option, message] of attempts) {
      let caught: unknown
      try {
        session({ secret: SECRET, ...extra } as ExpressSessionOptions)
      } catch (error) {
        caught = error
      }
      expect(caught, option).toBeInstanceOf(SessionConfigError)
      expect((caught as SessionConfigError).option, option).toBe(option)
      expect((caught as Error).message, option).toMatch(message)
    }
  })
})
