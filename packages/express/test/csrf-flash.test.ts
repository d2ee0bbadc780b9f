import { CookieJar, send } from '@tessera/adapter-suite'
import type { Express } from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { csrf, flash, session } from '../src/index.js'
import { EXPRESS_VERSIONS, type ExpressFactory, errorHandler, listen } from './express-harness.js'

const SECRET = 'csrf-test-secret-that-is-long-enough-0123456789'
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

function app(factory: ExpressFactory, configure: (app: Express) => void): Express {
  const a = factory()
  a.use(session({ secret: SECRET, cookie: { secure: false } }))
  configure(a)
  a.get('/token', (req, res) => {
    res.json({ token: req.csrfToken(), local: res.locals.csrfToken })
  })
  a.post('/echo', (req, res) => {
    res.json({ body: req.body ?? null })
  })
  a.use(errorHandler())
  return a
}

for (const [name, factory] of EXPRESS_VERSIONS) {
  describe(`${name}: csrf() and flash()`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()))
    })
    async function start(a: Express) {
      const running = await listen(a)
      apps.push(running)
      return running.url
    }
    async function tokenOf(url: string, jar: CookieJar) {
      const body = (await (await send(url, '/token', { jar })).json()) as {
        token: string
        local: string
      }
      expect(body.local).toBe(body.token)
      return body.token
    }

    it('reads a form itself and leaves the parsed body for the route', async () => {
      const url = await start(app(factory, (a) => a.use(csrf())))
      const jar = new CookieJar()
      const token = await tokenOf(url, jar)
      const ok = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: FORM,
        body: `_csrf=${token}&name=ada`,
      })
      expect(ok.status).toBe(200)
      expect(await ok.json()).toEqual({ body: { _csrf: token, name: 'ada' } })
    })

    it('uses req.body when a body parser ran first (urlencoded and JSON)', async () => {
      const url = await start(
        app(factory, (a) => {
          a.use(factory.urlencoded({ extended: true }))
          a.use(factory.json())
          a.use(csrf())
        }),
      )
      const jar = new CookieJar()
      const token = await tokenOf(url, jar)
      const formOk = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: FORM,
        body: `_csrf=${token}&name=ada`,
      })
      expect(formOk.status).toBe(200)
      const jsonOk = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: token }),
      })
      expect(jsonOk.status).toBe(200)
      const jsonBad = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ _csrf: 'nope' }),
      })
      expect(jsonBad.status).toBe(403)
      expect(await jsonBad.json()).toEqual({ error: 'CSRF_TOKEN_INVALID' })
    })

    it('protects PUT, PATCH and DELETE; leaves GET alone; custom header and field names', async () => {
      const url = await start(
        app(factory, (a) => a.use(csrf({ header: 'x-xsrf', field: 'token' }))),
      )
      const jar = new CookieJar()
      const token = await tokenOf(url, jar)
      for (const method of ['PUT', 'PATCH', 'DELETE']) {
        expect((await send(url, '/token', { method, jar })).status, method).toBe(403)
        expect(
          (await send(url, '/token', { method, jar, headers: { 'x-xsrf': token } })).status,
          method,
        ).not.toBe(403)
      }
      expect((await send(url, '/token', { jar })).status).toBe(200)
      const form = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: FORM,
        body: `token=${token}`,
      })
      expect(form.status).toBe(200)
    })

    it('answers 413 for a form larger than bodyLimit', async () => {
      const url = await start(app(factory, (a) => a.use(csrf({ bodyLimit: 100 }))))
      const jar = new CookieJar()
      await tokenOf(url, jar)
      const response = await send(url, '/echo', {
        method: 'POST',
        jar,
        headers: FORM,
        body: `a=${'x'.repeat(500)}`,
      })
      expect(response.status).toBe(413)
    })

    it('fails clearly when session() is missing', async () => {
      const a = factory()
      a.use(csrf())
      a.post('/x', (_req, res) => {
        res.json({ ok: true })
      })
      a.use(errorHandler())
      const url = await start(a)
      const response = await send(url, '/x', { method: 'POST' })
      expect(response.status).toBe(500)
      expect(await response.json()).toEqual({ error: 'SESSION_MIDDLEWARE_MISSING' })
    })

    it('flash(): req.flash like connect-flash, and res.locals.flash for templates', async () => {
      const url = await start(
        app(factory, (a) => {
          a.use(flash())
          a.post('/add', (req, res) => {
            req.flash('info', 'one')
            req.flash('info', ['two', 'three'])
            res.redirect('/show')
          })
          a.get('/show', (_req, res) => {
            res.json({ info: (res.locals.flash as (type: string) => unknown[])('info') })
          })
          a.get('/take', (req, res) => {
            res.json({ info: req.flash('info') })
          })
        }),
      )
      const jar = new CookieJar()
      expect((await send(url, '/add', { method: 'POST', jar })).status).toBe(302)
      expect(await (await send(url, '/show', { jar })).json()).toEqual({
        info: ['one', 'two', 'three'],
      })
      expect(await (await send(url, '/take', { jar })).json()).toEqual({ info: [] })
    })
  })
}
