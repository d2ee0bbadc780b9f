import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { CookieJar, send, switchableStore } from '@tessera/adapter-suite'
import { MemoryStore } from '@tessera/core'
import { slowStore } from '@tessera/testkit'
import type { Express } from 'express'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type ExpressSessionOptions, session } from '../src/index.js'
import { EXPRESS_VERSIONS, type ExpressFactory, errorHandler, listen } from './express-harness.js'

const SECRET = 'paths-test-secret-that-is-long-enough-0123456789'
const COOKIE = 'tessera.sid'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-express-'))
  await writeFile(join(dir, 'file.txt'), 'file contents')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function app(factory: ExpressFactory, options: Partial<ExpressSessionOptions> = {}): Express {
  const app = factory()
  app.use(
    session({
      secret: SECRET,
      store: slowStore(new MemoryStore(), { minMs: 2, maxMs: 10 }),
      cookie: { secure: false },
      ...options,
    }),
  )
  app.get('/read', (req, res) => {
    res.json({ how: req.session.get('how') ?? null })
  })
  return app
}

/** Routes that answer in every way a response can flush its headers. */
const WAYS: Array<
  [
    string,
    (
      req: Parameters<Parameters<Express['get']>[1]>[0],
      res: Parameters<Parameters<Express['get']>[1]>[1],
    ) => void,
  ]
> = [
  ['res.end', (_req, res) => res.end('ended')],
  ['res.send', (_req, res) => void res.send('sent')],
  ['res.json', (_req, res) => void res.json({ ok: true })],
  ['res.redirect', (_req, res) => res.redirect('/read')],
  [
    'res.write stream',
    (_req, res) => {
      res.setHeader('content-type', 'text/plain')
      res.write('one ')
      res.write('two ')
      setTimeout(() => res.end('three'), 5)
    },
  ],
  [
    'pipe',
    (_req, res) => {
      res.setHeader('content-type', 'text/plain')
      Readable.from(['a', 'b', 'c']).pipe(res)
    },
  ],
  [
    'res.writeHead + end',
    (_req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain' })
      res.end('created')
    },
  ],
  [
    'res.writeHead with status message',
    (_req, res) => {
      res.writeHead(202, 'Accepted Later', { 'content-type': 'text/plain' })
      res.end('accepted')
    },
  ],
  [
    'res.flushHeaders',
    (_req, res) => {
      res.flushHeaders()
      res.end('flushed')
    },
  ],
  ['res.sendFile', (_req, res) => res.sendFile(join(dir, 'file.txt'))],
]

for (const [name, factory] of EXPRESS_VERSIONS) {
  describe(`${name}: the session is saved before the response goes out`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()))
    })
    async function start(a: Express) {
      a.use(errorHandler())
      const running = await listen(a)
      apps.push(running)
      return running.url
    }

    for (const [way, respond] of WAYS) {
      it(`${way}: Set-Cookie is sent, the body intact, the write visible at once`, async () => {
        const a = app(factory)
        a.get('/write', (req, res) => {
          req.session.set('how', way)
          respond(req, res)
        })
        const url = await start(a)
        const jar = new CookieJar()
        const response = await send(url, '/write', { jar })
        expect(response.status).toBeLessThan(400)
        const body = await response.text()
        expect(body.length).toBeGreaterThan(0)
        expect(jar.get(COOKIE)).toBeDefined()
        expect(response.headers.get('vary')).toMatch(/cookie/i)
        expect(await (await send(url, '/read', { jar })).json()).toEqual({ how: way })
      })
    }

    it('middleware that wraps res.end before or after session() (compression-style) still waits for the save, from the first request on', async () => {
      const calls: string[] = []
      const wrapEnd = (label: string) => (_req: unknown, res: ServerResponse, next: () => void) => {
        const end = res.end
        res.end = function (this: ServerResponse, ...args: unknown[]) {
          calls.push(label)
          return (end as (...a: unknown[]) => ServerResponse).apply(this, args)
        } as ServerResponse['end']
        next()
      }
      const a = factory()
      a.use(wrapEnd('before'))
      a.use(
        session({
          secret: SECRET,
          store: slowStore(new MemoryStore(), { minMs: 5, maxMs: 10 }),
          cookie: { secure: false },
        }),
      )
      a.use(wrapEnd('after'))
      a.get('/write', (req, res) => {
        req.session.set('how', 'wrapped')
        res.end('ok')
      })
      a.get('/read', (req, res) => {
        res.json({ how: req.session.get('how') ?? null })
      })
      const url = await start(a)
      for (let i = 0; i < 2; i++) {
        const jar = new CookieJar()
        const response = await send(url, '/write', { jar })
        expect(await response.text()).toBe('ok')
        expect(jar.get(COOKIE), `request ${i}`).toBeDefined()
        expect(await (await send(url, '/read', { jar })).json()).toEqual({ how: 'wrapped' })
      }
      expect(calls.filter((label) => label === 'before').length).toBe(4)
    })

    it('streams keep their body and backpressure (a large piped body)', async () => {
      const a = app(factory)
      const chunk = 'x'.repeat(64 * 1024)
      a.get('/big', (req, res) => {
        req.session.set('how', 'big')
        Readable.from(Array.from({ length: 64 }, () => chunk)).pipe(res)
      })
      const url = await start(a)
      const jar = new CookieJar()
      const response = await send(url, '/big', { jar })
      expect((await response.text()).length).toBe(64 * chunk.length)
      expect(jar.get(COOKIE)).toBeDefined()
    })

    it('merges headers given to writeHead: both cookies, both Vary fields', async () => {
      const a = app(factory)
      a.get('/head', (req, res) => {
        req.session.set('how', 'head')
        res.writeHead(200, { 'Set-Cookie': 'theme=dark; Path=/', Vary: 'Accept-Language' })
        res.end('ok')
      })
      const url = await start(a)
      const response = await send(url, '/head')
      const cookies = response.headers.getSetCookie()
      expect(cookies.some((c) => c.startsWith('theme=dark'))).toBe(true)
      expect(cookies.some((c) => c.startsWith(`${COOKIE}=`))).toBe(true)
      const vary = (response.headers.get('vary') as string).toLowerCase()
      expect(vary).toContain('accept-language')
      expect(vary).toContain('cookie')
    })

    it('HEAD requests and 304-style responses still commit', async () => {
      const a = app(factory)
      a.head('/head-write', (req, res) => {
        req.session.set('how', 'head')
        res.status(204).end()
      })
      const url = await start(a)
      const jar = new CookieJar()
      const response = await send(url, '/head-write', { method: 'HEAD', jar })
      expect(response.status).toBe(204)
      expect(jar.get(COOKIE)).toBeDefined()
      expect(await (await send(url, '/read', { jar })).json()).toEqual({ how: 'head' })
    })

    it('a store failure while saving after the route ended becomes a 503, nothing of the route leaks', async () => {
      const store = switchableStore(new MemoryStore())
      const a = app(factory, { store })
      a.get('/ok-then-fail', (req, res) => {
        req.session.set('how', 'failing')
        store.mode = 'fail'
        res.setHeader('x-route', 'yes')
        res.json({ secret: 'route body' })
      })
      a.get('/stream-then-fail', (req, res) => {
        req.session.set('how', 'failing')
        store.mode = 'fail'
        res.write('partial ')
        res.end('body')
      })
      const url = await start(a)
      for (const path of ['/ok-then-fail', '/stream-then-fail']) {
        store.mode = 'ok'
        const response = await send(url, path)
        expect(response.status, path).toBe(503)
        expect(response.headers.get('x-route')).toBeNull()
        expect(response.headers.getSetCookie()).toEqual([])
        expect(await response.text()).toBe('Service Unavailable')
      }
    })

    it('a session over maxSize fails the request with a 500, not a hang', async () => {
      const a = app(factory, { maxSize: 1024 })
      a.get('/huge', (req, res) => {
        req.session.set('how', 'x'.repeat(4096))
        res.json({ ok: true })
      })
      const url = await start(a)
      const response = await send(url, '/huge')
      expect(response.status).toBe(500)
      expect(response.headers.getSetCookie()).toEqual([])
    })

    it('reports late failures to onError', async () => {
      const store = switchableStore(new MemoryStore())
      const errors: unknown[] = []
      const a = app(factory, { store, onError: (error) => errors.push(error) })
      a.get('/fail', (req, res) => {
        req.session.set('how', 'x')
        store.mode = 'fail'
        res.end('x')
      })
      const url = await start(a)
      expect((await send(url, '/fail')).status).toBe(503)
      expect(errors).toHaveLength(1)
      expect((errors[0] as { code: string }).code).toBe('SESSION_STORE_FAILED')
    })
  })

  describe(`${name}: Secure cookies and proxies`, () => {
    const apps: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(apps.splice(0).map((a) => a.close()))
    })
    async function cookieFor(
      options: Partial<ExpressSessionOptions>,
      trustProxy: boolean,
      headers: Record<string, string> = {},
    ) {
      const a = factory()
      if (trustProxy) a.set('trust proxy', 'loopback')
      a.use(session({ secret: SECRET, ...options }))
      a.get('/write', (req, res) => {
        req.session.set('how', 'secure')
        res.json({ ok: true })
      })
      const running = await listen(a)
      apps.push(running)
      const response = await send(running.url, '/write', { headers })
      expect(response.status).toBe(200)
      return response.headers.getSetCookie()
    }
    // A host that is not loopback: over plain HTTP the Secure cookie is withheld there (the
    // shared adapter suite covers loopback, trust proxy and the warning on every adapter).
    const https = { 'x-forwarded-proto': 'https', host: 'app.example' }

    it('proxy: true trusts X-Forwarded-Proto, proxy: false does not', async () => {
      expect(await cookieFor({ proxy: true }, false, https)).toHaveLength(1)
      expect(await cookieFor({ proxy: false }, true, https)).toEqual([])
    })
  })
}
