import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import type { SessionOptions } from '@tessera/core'
import { errorStatus } from '@tessera/core/adapter'
import { type SessionEnv, session } from '@tessera/hono'
import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { listening } from './listen.js'
import type { SecurityAdapter, SecurityApp } from './security-app.js'
import { securityRoutes } from './security-routes.js'

/** Hono on @hono/node-server with `@tessera/hono`, serving the security routes. */
export async function startHonoApp(options: SessionOptions): Promise<SecurityApp> {
  const errors: unknown[] = []
  const app = new Hono<SessionEnv>()
  const middleware = session(options)
  app.use(middleware)
  for (const route of securityRoutes) {
    const methods = route.method === 'ALL' ? ['GET', 'POST'] : [route.method]
    app.on(methods, route.path, async (c) => {
      const out = await route.handle({
        query: new URL(c.req.url).searchParams,
        session: () => c.get('session'),
      })
      if (out.kind === 'redirect') return c.redirect(out.location, 302)
      return c.json(out.body, out.status as ContentfulStatusCode)
    })
  }
  app.onError((error, c) => {
    errors.push(error)
    const code = (error as { code?: string }).code ?? 'ERROR'
    return c.json({ error: code }, errorStatus(error) as ContentfulStatusCode)
  })
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }) as Server
  const { port, close } = await listening(server)
  return { url: `http://127.0.0.1:${port}`, port, engine: middleware.engine, errors, close }
}

export const honoAdapter: SecurityAdapter = {
  name: 'hono (node-server)',
  id: 'hono',
  start: startHonoApp,
}
