import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { SessionStore } from '@tessera/core'
import { session } from '@tessera/express'
import express, { type ErrorRequestHandler } from 'express'

interface Counter {
  n?: number
}

/**
 * An Express app on @tessera/express: `GET /count` reads the session, `POST /inc` changes it.
 * Store failures reach the error handler below as `SessionStoreError` (`err.status` 503);
 * failures while saving after the route are answered 503 by the middleware and go to `onError`.
 */
export async function startExpressApp(options: {
  store: SessionStore
  storeTimeout: number
}): Promise<{ url: string; server: Server; errors: unknown[]; close(): Promise<void> }> {
  const errors: unknown[] = []
  const middleware = session({
    secret: 'a-test-secret-that-is-long-enough-1234567890',
    cookie: { secure: false },
    store: options.store,
    storeTimeout: options.storeTimeout,
    onError: (error) => errors.push(error),
  })
  const app = express()
  app.use(middleware)
  app.post('/inc', (req, res) => {
    const data = req.session as unknown as Counter
    data.n = (data.n ?? 0) + 1
    res.send(String(data.n))
  })
  app.get('/count', (req, res) => {
    res.send(String((req.session as unknown as Counter).n ?? 0))
  })
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    errors.push(error)
    const status = typeof error?.status === 'number' ? error.status : 500
    res.status(status).send(status === 503 ? 'Service Unavailable' : 'Error')
  }
  app.use(onError)
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    errors,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await middleware.engine.close()
    },
  }
}
