// Express 5: bare, express-session (MemoryStore, connect-redis) or @tessera/express.
import { session as tesseraSession } from '@tessera/express'
import { RedisStore as ConnectRedisStore } from 'connect-redis'
import express from 'express'
import expressSession from 'express-session'
import { announceReady, itemOf, SECRET, serverConfig, sessionOps } from './common.mjs'
import { createRedisClient } from './redis-client.mjs'
import { tesseraStore } from './tessera-store.mjs'

const config = serverConfig()
const ops = sessionOps(config.lib)
const close = []
const app = express()

if (config.lib === 'tessera') {
  const { store, close: closeStore } = await tesseraStore(config)
  close.push(...closeStore)
  app.use(tesseraSession({ secret: SECRET, store, cookie: { secure: false } }))
} else if (config.lib === 'express-session') {
  let store // undefined: express-session's own MemoryStore
  if (config.store === 'redis') {
    const client = createRedisClient(config.redisUrl)
    close.push(() => client.quit())
    store = new ConnectRedisStore({ client, prefix: config.redisPrefix })
  } else if (config.store !== 'memory') {
    throw new Error(`express-session is benchmarked with memory or redis, not ${config.store}`)
  }
  // The configuration express-session's README recommends.
  app.use(expressSession({ secret: SECRET, resave: false, saveUninitialized: false, store }))
} else if (config.lib !== 'bare') {
  throw new Error(`BENCH_LIB=${config.lib} is not an Express library`)
}

app.get('/read', (req, res) => {
  res.send(String(ops.views(req.session)))
})
app.get('/hit', (req, res) => {
  res.send(String(ops.hit(req.session)))
})
app.get('/noop', (_req, res) => {
  res.send('ok')
})
app.get('/append', (req, res) => {
  res.send(String(ops.append(req.session, itemOf(req.url))))
})
app.get('/items', (req, res) => {
  res.json(ops.items(req.session))
})

const server = app.listen(0, '127.0.0.1', () => {
  announceReady(server.address().port, [() => server.close(), ...close])
})
