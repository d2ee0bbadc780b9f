// Koa 3: bare, koa-session (cookie, or an ioredis external store) or @tessera/koa.
import { session as tesseraSession } from '@tessera/koa'
import Koa from 'koa'
import koaSession from 'koa-session'
import { announceReady, itemOf, ONE_DAY_MS, SECRET, serverConfig, sessionOps } from './common.mjs'
import { createRedisClient, koaSessionRedisStore } from './redis-client.mjs'
import { tesseraStore } from './tessera-store.mjs'

const config = serverConfig()
const ops = sessionOps(config.lib)
const close = []
const app = new Koa()

if (config.lib === 'tessera') {
  const { store, close: closeStore } = await tesseraStore(config)
  close.push(...closeStore)
  app.use(tesseraSession({ secret: SECRET, store, cookie: { secure: false } }))
} else if (config.lib === 'koa-session') {
  let store // undefined: the session lives in a signed cookie, koa-session's default
  if (config.store === 'redis') {
    const client = createRedisClient(config.redisUrl)
    close.push(() => client.quit())
    store = koaSessionRedisStore(client, config.redisPrefix)
  } else if (config.store !== 'cookie') {
    throw new Error(`koa-session is benchmarked with cookie or redis, not ${config.store}`)
  }
  app.keys = [SECRET]
  app.use(koaSession({ maxAge: ONE_DAY_MS, secure: false, store }, app))
} else if (config.lib !== 'bare') {
  throw new Error(`BENCH_LIB=${config.lib} is not a Koa library`)
}

app.use((ctx) => {
  switch (ctx.path) {
    case '/read':
      ctx.body = String(ops.views(ctx.session))
      return
    case '/hit':
      ctx.body = String(ops.hit(ctx.session))
      return
    case '/noop':
      ctx.body = 'ok'
      return
    case '/append':
      ctx.body = String(ops.append(ctx.session, itemOf(ctx.url)))
      return
    case '/items':
      ctx.body = ops.items(ctx.session)
      return
    default:
      ctx.status = 404
  }
})

const server = app.listen(0, '127.0.0.1', () => {
  announceReady(server.address().port, [() => server.close(), ...close])
})
