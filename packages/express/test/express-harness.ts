import type { AddressInfo } from 'node:net'
import { type AdapterHarness, exclusiveCounter, type RunningApp } from '@tessera/adapter-suite'
import { SESSION_MEMBERS } from '@tessera/core'
import express, { type Express, type NextFunction, type Request, type Response } from 'express'
import express4 from 'express4'
import { csrf, type ExpressSessionOptions, exclusive, requireFresh, session } from '../src/index.js'

export type ExpressFactory = typeof express

declare module '../src/index.js' {
  interface SessionData {
    // The shared suite's routes use keys named by the request: an index signature allows them
    // (without one, only the declared keys compile).
    [key: string]: unknown
  }
}

/** Both Express majors, as the tests run them. */
export const EXPRESS_VERSIONS: Array<[name: string, factory: ExpressFactory]> = [
  ['express 5', express],
  ['express 4', express4],
]

/** Express 4 does not catch rejected promises of async handlers: forward them to `next`. */
export function wrap(handler: (req: Request, res: Response, next: NextFunction) => unknown) {
  return (req: Request, res: Response, next: NextFunction): void => {
    Promise.resolve()
      .then(() => handler(req, res, next))
      .catch(next)
  }
}

/** Answers errors with their status, like a typical app's error handler; records each one. */
export function errorHandler(errors: unknown[] = []) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    errors.push(error)
    if (res.headersSent) {
      next(error)
      return
    }
    const status = (error as { status?: number }).status ?? 500
    res.status(status).json({ error: (error as { code?: string }).code ?? 'ERROR' })
  }
}

/** Listens on 127.0.0.1 with a random port; `close()` also ends keep-alive connections. */
export async function listen(app: Express, errors: unknown[] = []): Promise<RunningApp> {
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** The standard routes of the shared adapter suite. */
export function standardApp(
  factory: ExpressFactory,
  options: ExpressSessionOptions,
  errors: unknown[] = [],
): Express {
  const app = factory()
  app.set('trust proxy', 'loopback')
  app.get('/unmounted', (req, res) => {
    res.json({ value: req.session.get('x') ?? null })
  })
  // Errors while saving after the route finished are answered by the adapter itself and
  // reported to `onError`: they count as what the app's error handling saw.
  app.use(session({ onError: (error) => errors.push(error), ...options }))
  const key = (req: Request): string => String(req.query.key)
  const nested = factory.Router()
  nested.use(session({ ...options, cookie: { ...options.cookie, name: 'nested.sid' } }))
  nested.get('/get', (req, res) => {
    res.json({ value: req.session.get(key(req)) ?? null, id: req.session.id })
  })
  app.use('/nested', nested)
  app.post(
    '/regenerate',
    wrap(async (req, res) => {
      await req.session.regenerate(req.query.keep === '1' ? { keepData: true } : undefined)
      res.json({ id: req.session.id })
    }),
  )

  app.get('/noop', (_req, res) => {
    res.json({ ok: true })
  })
  app.post('/with-app-headers', (req, res) => {
    res.vary('Accept-Encoding')
    res.append('set-cookie', 'theme=dark; Path=/')
    res.set('cache-control', 'public, max-age=600')
    req.session.set('marked', 'yes')
    res.json({ ok: true })
  })
  app.get('/get', (req, res) => {
    res.json({
      value: req.session.get(key(req)) ?? null,
      id: req.session.id,
      isNew: req.session.isNew,
    })
  })
  app.post('/set', (req, res) => {
    req.session.set(key(req), String(req.query.value))
    res.json({ ok: true })
  })
  app.post('/append', (req, res) => {
    const item = String(req.query.item)
    req.session.update('cart', (cart) => [...((cart as string[] | undefined) ?? []), item])
    res.json({ ok: true })
  })
  app.post('/push', (req, res) => {
    let cart = req.session.get('cart') as string[] | undefined
    if (!cart) {
      cart = []
      req.session.set('cart', cart)
    }
    cart.push(String(req.query.item))
    res.json({ ok: true })
  })
  app.post(
    '/login',
    wrap(async (req, res) => {
      await req.session.login(String(req.query.user))
      res.json({ id: req.session.id })
    }),
  )
  app.post(
    '/logout',
    wrap(async (req, res) => {
      await req.session.logout()
      res.json({ ok: true })
    }),
  )
  app.post(
    '/destroy',
    wrap(async (req, res) => {
      await req.session.destroy()
      res.json({ ok: true })
    }),
  )
  const countExclusively = exclusiveCounter()
  app.post(
    '/exclusive-count',
    exclusive({ wait: '20s' }),
    wrap(async (req, res) => {
      res.json(await countExclusively(req.session))
    }),
  )
  app.get('/fresh', requireFresh('1m'), (_req, res) => {
    res.json({ ok: true })
  })
  app.get('/fresh-redirect', requireFresh('1m', { redirect: '/sign-in' }), (_req, res) => {
    res.json({ ok: true })
  })
  app.get('/whoami', (req, res) => {
    res.json({ userId: req.session.userId })
  })
  app.get('/write-and-redirect', (req, res) => {
    req.session.set('flag', 'written')
    res.redirect('/get?key=flag')
  })
  app.get('/boom', (req, res) => {
    req.session.set('lost', 'yes')
    res.status(500).json({ error: 'boom' })
  })
  app.get('/csrf-token', (req, res) => {
    res.json({ token: req.session.csrfToken() })
  })
  app.post('/protected', csrf(), (_req, res) => {
    res.json({ ok: true })
  })
  app.post('/flash', (req, res) => {
    req.session.flash('info', String(req.query.message))
    res.json({ ok: true })
  })
  app.get('/flash', (req, res) => {
    res.json({ messages: req.session.takeFlash('info') })
  })
  app.post('/set-json', (req, res) => {
    req.session.set(key(req), JSON.parse(String(req.query.value)))
    res.json({ ok: true })
  })
  app.get('/members', (req, res) => {
    const session = req.session as unknown as Record<string, unknown>
    res.json({ members: Object.fromEntries(SESSION_MEMBERS.map((m) => [m, typeof session[m]])) })
  })
  app.use(errorHandler(errors))
  return app
}

export function expressHarness(name: string, factory: ExpressFactory): AdapterHarness {
  return {
    name,
    start: (options) => {
      const errors: unknown[] = []
      return listen(standardApp(factory, options, errors), errors)
    },
  }
}
