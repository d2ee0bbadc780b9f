import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type AdapterHarness, exclusiveCounter, type RunningApp } from '@tessera/adapter-suite'
import { SESSION_MEMBERS, type SessionOptions } from '@tessera/core'
import { Hono } from 'hono'
import { csrf, exclusive, requireFresh, type SessionEnv, session } from '../src/index.js'

type Data = { cart: string[]; [key: string]: unknown }

/** A Hono app with the standard routes of the shared adapter suite. */
export function standardApp(options: SessionOptions, errors: unknown[] = []) {
  const app = new Hono<SessionEnv<Data>>()
  app.onError((error, c) => {
    errors.push(error)
    const answer = (error as { getResponse?: () => Response }).getResponse
    return typeof answer === 'function' ? answer.call(error) : c.text('Internal Server Error', 500)
  })
  app.get('/unmounted', (c) => c.json({ value: c.var.session.get('x') ?? null }))
  app.use(session<Data>(options, { proxy: true }))
  app.use(
    '/nested/*',
    session<Data>(
      { ...options, cookie: { ...options.cookie, name: 'nested.sid' } },
      { proxy: true },
    ),
  )
  app.get('/nested/get', (c) =>
    c.json({ value: c.var.session.get(c.req.query('key') ?? '') ?? null, id: c.var.session.id }),
  )
  app.post('/regenerate', async (c) => {
    await c.var.session.regenerate(c.req.query('keep') === '1' ? { keepData: true } : undefined)
    return c.json({ id: c.var.session.id })
  })
  app.use('/protected', csrf())
  app.get('/noop', (c) => c.json({ ok: true }))
  app.post('/with-app-headers', (c) => {
    c.header('vary', 'Accept-Encoding')
    c.header('set-cookie', 'theme=dark; Path=/', { append: true })
    c.header('cache-control', 'public, max-age=600')
    c.var.session.set('marked', 'yes')
    return c.json({ ok: true })
  })
  app.get('/get', (c) => {
    const s = c.var.session
    const key = c.req.query('key') ?? ''
    return c.json({ value: s.get(key) ?? null, id: s.id, isNew: s.isNew })
  })
  app.post('/set', (c) => {
    c.var.session.set(c.req.query('key') ?? '', c.req.query('value') ?? '')
    return c.json({ ok: true })
  })
  app.post('/append', (c) => {
    const item = c.req.query('item') ?? ''
    c.var.session.update('cart', (cart) => [...(cart ?? []), item])
    return c.json({ ok: true })
  })
  app.post('/push', (c) => {
    const s = c.var.session
    let cart = s.get('cart')
    if (!cart) {
      cart = []
      s.set('cart', cart)
    }
    cart.push(c.req.query('item') ?? '')
    return c.json({ ok: true })
  })
  app.post('/login', async (c) => {
    await c.var.session.login(c.req.query('user') ?? '')
    return c.json({ id: c.var.session.id })
  })
  app.post('/logout', async (c) => {
    await c.var.session.logout()
    return c.json({ ok: true })
  })
  app.post('/destroy', async (c) => {
    await c.var.session.destroy()
    return c.json({ ok: true })
  })
  app.get('/whoami', (c) => c.json({ userId: c.var.session.userId }))
  const countExclusively = exclusiveCounter()
  app.post('/exclusive-count', exclusive({ wait: '20s' }), async (c) =>
    c.json(await countExclusively(c.var.session)),
  )
  app.get('/fresh', requireFresh('1m'), (c) => c.json({ ok: true }))
  app.get('/fresh-redirect', requireFresh('1m', { redirect: '/sign-in' }), (c) =>
    c.json({ ok: true }),
  )
  app.get('/write-and-redirect', (c) => {
    c.var.session.set('flag', 'written')
    return c.redirect('/get?key=flag', 302)
  })
  app.get('/boom', (c) => {
    c.var.session.set('lost', 'yes')
    return c.json({ error: 'boom' }, 500)
  })
  app.get('/csrf-token', (c) => c.json({ token: c.var.session.csrfToken() }))
  app.post('/protected', (c) => c.json({ ok: true }))
  app.post('/flash', (c) => {
    c.var.session.flash('info', c.req.query('message') ?? '')
    return c.json({ ok: true })
  })
  app.get('/flash', (c) => c.json({ messages: c.var.session.takeFlash('info') }))
  app.post('/set-json', (c) => {
    c.var.session.set(c.req.query('key') ?? '', JSON.parse(c.req.query('value') ?? 'null'))
    return c.json({ ok: true })
  })
  app.get('/members', (c) => {
    const session = c.var.session as unknown as Record<string, unknown>
    return c.json({
      members: Object.fromEntries(SESSION_MEMBERS.map((m) => [m, typeof session[m]])),
    })
  })
  return app
}

/** Serves `app` with @hono/node-server on 127.0.0.1 at a free port. */
export function serveOnNode(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  errors: unknown[] = [],
): Promise<RunningApp> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0 },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          errors,
          close: () =>
            new Promise<void>((done, fail) => {
              if ('closeAllConnections' in server) server.closeAllConnections()
              server.close((error?: Error) => (error ? fail(error) : done()))
            }),
        })
      },
    )
  })
}

export const nodeServerHarness: AdapterHarness = {
  name: 'hono (node-server)',
  start: (options) => {
    const errors: unknown[] = []
    return serveOnNode(standardApp(options, errors), errors)
  },
}

/**
 * Runs the suite through `app.request()` instead of a server: while an app is started,
 * `fetch` to its made-up origin is answered by `app.request()`; other URLs go to the real
 * `fetch`.
 */
export function appRequestHarness(): AdapterHarness {
  const apps = new Map<string, ReturnType<typeof standardApp>>()
  const realFetch = globalThis.fetch
  let next = 0
  const routed: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const app = apps.get(new URL(request.url).origin)
    return app ? app.request(request) : realFetch(input, init)
  }
  return {
    name: 'hono (app.request)',
    async start(options) {
      const origin = `http://hono-app-${++next}.test`
      const errors: unknown[] = []
      apps.set(origin, standardApp(options, errors))
      globalThis.fetch = routed
      return {
        url: origin,
        errors,
        close: async () => {
          apps.delete(origin)
          if (apps.size === 0) globalThis.fetch = realFetch
        },
      }
    },
  }
}
