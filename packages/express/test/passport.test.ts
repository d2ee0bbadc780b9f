import { CookieJar, send } from '@tessera/adapter-suite'
import { MemoryStore } from '@tessera/core'
import passportModule from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { afterEach, describe, expect, it } from 'vitest'
import { type ExpressSessionOptions, flash, session } from '../src/index.js'
import { EXPRESS_VERSIONS, type ExpressFactory, errorHandler, listen } from './express-harness.js'

const SECRET = 'passport-test-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'
const USERS = [{ id: '1', username: 'ada', password: 'lovelace' }]

/** An unchanged passport 0.7 + passport-local app, as written for express-session. */
function passportApp(factory: ExpressFactory, options: Partial<ExpressSessionOptions> = {}) {
  const passport = new passportModule.Passport()
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS.find((u) => u.username === username && u.password === password)
      done(null, user ?? false, user ? undefined : { message: 'Incorrect username or password.' })
    }),
  )
  passport.serializeUser((user, done) => done(null, (user as { id: string }).id))
  passport.deserializeUser((id: string, done) =>
    done(null, USERS.find((u) => u.id === id) ?? false),
  )

  const app = factory()
  app.use(factory.urlencoded({ extended: false }))
  app.use(
    session({ secret: SECRET, store: new MemoryStore(), cookie: { secure: false }, ...options }),
  )
  app.use(flash())
  app.use(passport.session())
  app.post('/visit', (req, res) => {
    req.session.visits = ((req.session.visits as number | undefined) ?? 0) + 1
    res.json({ visits: req.session.visits })
  })
  app.post(
    '/login',
    passport.authenticate('local', { failureRedirect: '/failed', failureFlash: true }),
    (req, res) => {
      res.json({ user: (req.user as { username: string }).username, sessionID: req.sessionID })
    },
  )
  app.post(
    '/login-keep',
    passport.authenticate('local', { keepSessionInfo: true }),
    (_req, res) => {
      res.json({ ok: true })
    },
  )
  app.post('/login-redirect', passport.authenticate('local', { successRedirect: '/me' }))
  app.get('/failed', (req, res) => {
    res.json({ messages: req.flash('error') })
  })
  app.get('/me', (req, res) => {
    res.json({
      user: (req.user as { username?: string } | undefined)?.username ?? null,
      visits: req.session.visits ?? null,
    })
  })
  app.post('/logout', (req, res, next) => {
    req.logout((error) => (error ? next(error) : res.json({ ok: true })))
  })
  app.use(errorHandler())
  return app
}

declare module '../src/index.js' {
  interface SessionData {
    visits: number
  }
}

const form = (body: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
})

for (const [name, factory] of EXPRESS_VERSIONS) {
  describe(`${name}: passport 0.7, unchanged`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((app) => app.close()))
    })
    async function start(options: Partial<ExpressSessionOptions> = {}) {
      const app = await listen(passportApp(factory, options))
      apps.push(app)
      return app
    }
    const me = async (url: string, jar: CookieJar) => {
      const response = await send(url, '/me', { jar })
      expect(response.status).toBe(200)
      return (await response.json()) as { user: string | null; visits: number | null }
    }

    it('login issues a new session id, the pre-login cookie stops working, req.user is restored', async () => {
      const { url } = await start()
      const jar = new CookieJar()
      expect((await send(url, '/visit', { method: 'POST', jar })).status).toBe(200)
      const anonymous = jar.clone()
      const login = await send(url, '/login', { ...form('username=ada&password=lovelace'), jar })
      expect(login.status).toBe(200)
      expect(((await login.json()) as { user: string }).user).toBe('ada')
      expect(jar.get(COOKIE)).toBeDefined()
      expect(jar.get(COOKIE)).not.toBe(anonymous.get(COOKIE))
      // express-session semantics: regenerate(cb) starts a fresh session.
      expect(await me(url, jar)).toEqual({ user: 'ada', visits: null })
      expect(await me(url, anonymous)).toEqual({ user: null, visits: null })
    })

    it('keepSessionInfo carries the pre-login data across', async () => {
      const { url } = await start()
      const jar = new CookieJar()
      await send(url, '/visit', { method: 'POST', jar })
      await send(url, '/visit', { method: 'POST', jar })
      const before = jar.get(COOKIE)
      expect(
        (await send(url, '/login-keep', { ...form('username=ada&password=lovelace'), jar })).status,
      ).toBe(200)
      expect(jar.get(COOKIE)).not.toBe(before)
      expect(await me(url, jar)).toEqual({ user: 'ada', visits: 2 })
    })

    it('a successRedirect followed at once is signed in', async () => {
      const { url } = await start()
      const jar = new CookieJar()
      const login = await send(url, '/login-redirect', {
        ...form('username=ada&password=lovelace'),
        jar,
      })
      expect(login.status).toBe(302)
      expect(login.headers.get('location')).toBe('/me')
      expect((await me(url, jar)).user).toBe('ada')
    })

    it('a failed login redirects with a flash message (failureFlash via flash())', async () => {
      const { url } = await start()
      const jar = new CookieJar()
      const login = await send(url, '/login', { ...form('username=ada&password=wrong'), jar })
      expect(login.status).toBe(302)
      expect(login.headers.get('location')).toBe('/failed')
      const failed = await send(url, '/failed', { jar })
      expect(await failed.json()).toEqual({ messages: ['Incorrect username or password.'] })
      expect((await me(url, jar)).user).toBeNull()
    })

    it('logout ends the session: cookie cleared, the signed-in cookie no longer works', async () => {
      const { url } = await start()
      const jar = new CookieJar()
      await send(url, '/login', { ...form('username=ada&password=lovelace'), jar })
      const signedIn = jar.clone()
      const logout = await send(url, '/logout', { method: 'POST', jar })
      expect(logout.status).toBe(200)
      expect(jar.get(COOKIE)).toBeUndefined()
      expect((await me(url, jar)).user).toBeNull()
      expect((await me(url, signedIn)).user).toBeNull()
    })
  })
}
