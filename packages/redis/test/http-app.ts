import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CookieJar, send } from '@tessera/adapter-suite'
import { createSessionEngine, type SessionOptions, TesseraError } from '@tessera/core'

type Data = {
  n: number
}

/**
 * A plain node:http app driving the session engine directly (what a framework adapter does):
 * `GET /count` reads the session, `POST /inc` changes it, `POST /login?user=` signs in.
 * Store failures reach the error branch as `SessionStoreError` (status 503).
 */
export async function startEngineApp(
  options: Omit<SessionOptions, 'secret'>,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const engine = createSessionEngine<Data>({
    secret: 'a-test-secret-that-is-long-enough-1234567890',
    cookie: { secure: false },
    ...options,
  })
  const server = createServer(async (req, res) => {
    const rs = engine.start({ cookie: req.headers.cookie, userAgent: req.headers['user-agent'] })
    try {
      await rs.load()
      const url = new URL(req.url ?? '/', 'http://localhost')
      let body: string
      if (req.method === 'POST' && url.pathname === '/inc') {
        const n = (rs.session.get('n') ?? 0) + 1
        rs.session.set('n', n)
        body = String(n)
      } else if (req.method === 'POST' && url.pathname === '/login') {
        await rs.session.login(url.searchParams.get('user') ?? 'someone')
        body = 'ok'
      } else {
        body = String(rs.session.get('n') ?? 0)
      }
      const headers = await rs.commit({ status: 200 })
      for (const [name, value] of headers) res.appendHeader(name, value)
      res.end(body)
    } catch (error) {
      res.statusCode = error instanceof TesseraError ? error.status : 500
      res.end(error instanceof Error ? error.name : 'error')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await engine.close()
    },
  }
}

/** One user of the app: the adapter suite's cookie jar, every request bounded by `timeoutMs`. */
export function browser(base: string, timeoutMs = 5_000) {
  const jar = new CookieJar()
  return {
    jar,
    async request(method: string, path: string): Promise<{ status: number; body: string }> {
      const signal = AbortSignal.timeout(timeoutMs)
      const response = await send(base, path, { method, jar, signal })
      return { status: response.status, body: await response.text() }
    },
  }
}
