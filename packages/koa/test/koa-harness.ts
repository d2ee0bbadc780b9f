import type { AddressInfo } from 'node:net'
import { type AdapterHarness, exclusiveCounter, type RunningApp } from '@tessera/adapter-suite'
import { SESSION_MEMBERS, type SessionOptions } from '@tessera/core'
import Koa from 'koa'
import Koa2 from 'koa2'
import { csrf, exclusive, requireFresh, session } from '../src/index.js'

export type KoaClass = typeof Koa

/** The Koa versions every test runs against. */
export const koaVersions: ReadonlyArray<{ name: string; Koa: KoaClass }> = [
  { name: 'koa 3', Koa },
  { name: 'koa 2', Koa: Koa2 },
]

interface Data {
  cart: string[]
  [key: string]: unknown
}

/** An app on 127.0.0.1 with the standard routes of the shared adapter suite. */
export function standardApp(KoaImpl: KoaClass, options: SessionOptions): Koa {
  const base = new KoaImpl()
  base.silent = true
  base.proxy = true
  base.use(async (ctx, next) => {
    if (ctx.path !== '/unmounted') return next()
    const unmounted = ctx as unknown as { session: { get(key: string): unknown } }
    ctx.body = { value: unmounted.session.get('x') ?? null }
  })
  const app = base.use(session<Data>(options))
  const nested = session<Data>({ ...options, cookie: { ...options.cookie, name: 'nested.sid' } })
  app.use((ctx, next) => (ctx.path.startsWith('/nested/') ? nested(ctx, next) : next()))
  const protect = csrf()
  const exclusiveSection = exclusive({ wait: '20s' })
  const fresh = requireFresh('1m')
  const freshOrRedirect = requireFresh('1m', { redirect: '/sign-in' })
  const countExclusively = exclusiveCounter()
  app.use(async (ctx, next) => {
    const route = `${ctx.method} ${ctx.path}`
    if (route === 'POST /exclusive-count') {
      return exclusiveSection(ctx, async () => {
        ctx.body = await countExclusively(ctx.session)
      })
    }
    if (route === 'GET /fresh' || route === 'GET /fresh-redirect') {
      const guard = route === 'GET /fresh' ? fresh : freshOrRedirect
      return guard(ctx, async () => {
        ctx.body = { ok: true }
      })
    }
    return next()
  })
  app.use(async (ctx, next) => {
    const s = ctx.session
    const q = ctx.query as Record<string, string | undefined>
    const route = `${ctx.method} ${ctx.path}`
    switch (route) {
      case 'GET /nested/get':
        ctx.body = { value: s.get(q.key ?? '') ?? null, id: s.id }
        return
      case 'POST /regenerate':
        await s.regenerate(q.keep === '1' ? { keepData: true } : undefined)
        ctx.body = { id: s.id }
        return
      case 'GET /noop':
        ctx.body = { ok: true }
        return
      case 'POST /with-app-headers':
        ctx.vary('Accept-Encoding')
        ctx.append('set-cookie', 'theme=dark; Path=/')
        ctx.set('cache-control', 'public, max-age=600')
        s.set('marked', 'yes')
        ctx.body = { ok: true }
        return
      case 'GET /get': {
        const key = q.key ?? ''
        ctx.body = { value: s.get(key) ?? null, id: s.id, isNew: s.isNew }
        return
      }
      case 'POST /set':
        s.set(q.key ?? '', q.value ?? '')
        ctx.body = { ok: true }
        return
      case 'POST /append': {
        const item = q.item ?? ''
        s.update('cart', (cart) => [...(cart ?? []), item])
        ctx.body = { ok: true }
        return
      }
      case 'POST /push': {
        let cart = s.get('cart')
        if (!cart) {
          cart = []
          s.set('cart', cart)
        }
        cart.push(q.item ?? '')
        ctx.body = { ok: true }
        return
      }
      case 'POST /login':
        await s.login(q.user ?? '')
        ctx.body = { id: s.id }
        return
      case 'POST /logout':
        await s.logout()
        ctx.body = { ok: true }
        return
      case 'POST /destroy':
        await s.destroy()
        ctx.body = { ok: true }
        return
      case 'GET /whoami':
        ctx.body = { userId: s.userId }
        return
      case 'GET /write-and-redirect':
        s.set('flag', 'written')
        ctx.redirect('/get?key=flag')
        return
      case 'GET /boom':
        s.set('lost', 'yes')
        ctx.status = 500
        ctx.body = { error: 'boom' }
        return
      case 'GET /csrf-token':
        ctx.body = { token: s.csrfToken() }
        return
      case 'POST /protected':
        await protect(ctx, async () => {
          ctx.body = { ok: true }
        })
        return
      case 'POST /flash':
        s.flash('info', q.message ?? '')
        ctx.body = { ok: true }
        return
      case 'GET /flash':
        ctx.body = { messages: s.takeFlash('info') }
        return
      case 'POST /set-json':
        s.set(q.key ?? '', JSON.parse(q.value ?? 'null'))
        ctx.body = { ok: true }
        return
      case 'GET /members': {
        const session = s as unknown as Record<string, unknown>
        ctx.body = {
          members: Object.fromEntries(SESSION_MEMBERS.map((m) => [m, typeof session[m]])),
        }
        return
      }
      default:
        return next()
    }
  })
  return base
}

/** Starts `app` on 127.0.0.1 at a free port. */
export function listen(app: Koa): Promise<RunningApp> {
  const errors: unknown[] = []
  app.on('error', (error: unknown) => errors.push(error))
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1')
    server.once('error', reject)
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        errors,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections()
            server.close((error) => (error ? fail(error) : done()))
          }),
      })
    })
  })
}

export function koaHarness(name: string, KoaImpl: KoaClass): AdapterHarness {
  return { name, start: (options) => listen(standardApp(KoaImpl, options)) }
}
