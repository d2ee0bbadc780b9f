// Hono 4 on @hono/node-server: bare, hono-sessions (cookie or memory) or @tessera/hono.
import { serve } from '@hono/node-server'
import { session as tesseraSession } from '@tessera/hono'
import { Hono } from 'hono'
import { CookieStore, MemoryStore, sessionMiddleware } from 'hono-sessions'
import { announceReady, itemOf, SECRET, serverConfig, sessionOps } from './common.mjs'
import { tesseraStore } from './tessera-store.mjs'

const config = serverConfig()
const ops = sessionOps(config.lib)
const close = []
const app = new Hono()

if (config.lib === 'tessera') {
  const { store, close: closeStore } = await tesseraStore(config)
  close.push(...closeStore)
  app.use(tesseraSession({ secret: SECRET, store, cookie: { secure: false } }))
} else if (config.lib === 'hono-sessions') {
  if (config.store !== 'cookie' && config.store !== 'memory') {
    throw new Error(`hono-sessions is benchmarked with cookie or memory, not ${config.store}`)
  }
  // As hono-sessions' README sets it up: an encryption key (required for CookieStore,
  // recommended for the others), a rolling expiry (a day here, Tessera's idle timeout).
  app.use(
    '*',
    sessionMiddleware({
      store: config.store === 'cookie' ? new CookieStore() : new MemoryStore(),
      encryptionKey: SECRET,
      expireAfterSeconds: 86_400,
      cookieOptions: { sameSite: 'Lax', path: '/', httpOnly: true },
    }),
  )
} else if (config.lib !== 'bare') {
  throw new Error(`BENCH_LIB=${config.lib} is not a Hono library`)
}

app.get('/read', (c) => c.text(String(ops.views(c.get('session')))))
app.get('/hit', (c) => c.text(String(ops.hit(c.get('session')))))
app.get('/noop', (c) => c.text('ok'))
app.get('/append', (c) => c.text(String(ops.append(c.get('session'), itemOf(c.req.url)))))
app.get('/items', (c) => c.json(ops.items(c.get('session'))))

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  announceReady(info.port, [() => server.close(), ...close])
})
