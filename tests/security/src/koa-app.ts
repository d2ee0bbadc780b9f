import type { Session, SessionData, SessionOptions } from '@tessera/core'
import { session } from '@tessera/koa'
import Koa from 'koa'
import { listening } from './listen.js'
import type { SecurityAdapter, SecurityApp } from './security-app.js'
import { securityRoutes } from './security-routes.js'

/** Koa 3 with `@tessera/koa`, serving the security routes. */
export async function startKoaApp(options: SessionOptions): Promise<SecurityApp> {
  const errors: unknown[] = []
  const app = new Koa()
  // Koa answers errors with their `status` itself; this listener replaces its console logging.
  app.on('error', (error: unknown) => errors.push(error))
  const middleware = session(options)
  app.use(middleware)
  app.use(async (ctx, next) => {
    const route = securityRoutes.find(
      (r) => r.path === ctx.path && (r.method === 'ALL' || r.method === ctx.method),
    )
    if (!route) return next()
    const out = await route.handle({
      query: new URLSearchParams(ctx.querystring),
      session: () => ctx.session as unknown as Session<SessionData>,
    })
    if (out.kind === 'redirect') {
      ctx.status = 302
      ctx.redirect(out.location)
    } else {
      ctx.status = out.status
      ctx.body = out.body
    }
  })
  const server = app.listen(0, '127.0.0.1')
  const { port, close } = await listening(server)
  return { url: `http://127.0.0.1:${port}`, port, engine: middleware.engine, errors, close }
}

export const koaAdapter: SecurityAdapter = { name: 'koa 3', id: 'koa', start: startKoaApp }
