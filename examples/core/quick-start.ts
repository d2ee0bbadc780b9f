// The core README's quick start: the engine driven by a plain node:http server.
// #region quick-start
import { createServer } from 'node:http'
import { createSessionEngine, MemoryStore } from '@tessera/core'

interface Data {
  views: number
  cart: string[]
}

const engine = createSessionEngine<Data>({
  secret: [process.env.SESSION_SECRET!], // ≥ 32 characters; newest first
  store: new MemoryStore(),
  idleTimeout: '30m',
  absoluteTimeout: '7d',
})

// Per request, as an adapter does it:
const server = createServer(async (req, res) => {
  try {
    const rs = engine.start({ cookie: req.headers.cookie, userAgent: req.headers['user-agent'] })
    await rs.load() // one store read, only if a valid signed id came in
    const views = rs.session.update('views', (v = 0) => v + 1) // synchronous data access
    const headers = await rs.commit({ status: 200 }) // the write completes before the response
    for (const [name, value] of headers) res.appendHeader(name, value)
    res.end(`${views} views`)
  } catch (error) {
    res.statusCode = (error as { status?: number }).status ?? 500 // SessionStoreError: 503
    res.end()
  }
})

// #endregion quick-start

export { engine, server }
