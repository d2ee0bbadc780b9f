import type { Server } from 'node:http'
import type { Session, SessionData, SessionOptions } from '@tessera/core'
import { errorStatus } from '@tessera/core/adapter'
import { session } from '@tessera/express'
import express, { type NextFunction, type Request, type Response } from 'express'
import { listening } from './listen.js'
import type { SecurityAdapter, SecurityApp } from './security-app.js'
import { securityRoutes } from './security-routes.js'

/** Express 5 with `@tessera/express`, serving the security routes. */
export async function startExpressApp(options: SessionOptions): Promise<SecurityApp> {
  const errors: unknown[] = []
  const middleware = session({ ...options, onError: (error) => errors.push(error) })
  const app = express()
  app.use(middleware)
  for (const route of securityRoutes) {
    const handler = async (req: Request, res: Response): Promise<void> => {
      const query = new URLSearchParams(req.url.split('?')[1] ?? '')
      const out = await route.handle({
        query,
        session: () => req.session as unknown as Session<SessionData>,
      })
      if (out.kind === 'redirect') res.redirect(302, out.location)
      else res.status(out.status).json(out.body)
    }
    if (route.method === 'ALL') app.all(route.path, handler)
    else if (route.method === 'GET') app.get(route.path, handler)
    else app.post(route.path, handler)
  }
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    errors.push(error)
    if (res.headersSent) {
      next(error)
      return
    }
    res.status(errorStatus(error)).json({ error: (error as { code?: string }).code ?? 'ERROR' })
  })
  const server: Server = app.listen(0, '127.0.0.1')
  const { port, close } = await listening(server)
  return { url: `http://127.0.0.1:${port}`, port, engine: middleware.engine, errors, close }
}

export const expressAdapter: SecurityAdapter = {
  name: 'express 5',
  id: 'express',
  start: startExpressApp,
}
