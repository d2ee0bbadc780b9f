// The app under soak, in a process of its own so its memory is measured alone: Express 5 with
// @tessera/express (built packages), on MemoryStore (bounded by maxEntries) or RedisStore.
// Started by soak.mjs with IPC: it sends { port } once listening, then every second
// { rss, heapUsed, heapTotal, external, storeSize }.
import { MemoryStore } from '@tessera/core'
import { session } from '@tessera/express'
import { RedisStore } from '@tessera/redis'
import express from 'express'
import { Redis } from 'ioredis'

const [storeKind, arg] = process.argv.slice(2)
const SECRET = 'soak-secret-0123456789abcdefghijklmnopqrstuvwxyz'

let store
let client
if (storeKind === 'memory') {
  store = new MemoryStore({ maxEntries: Number(arg) })
} else if (storeKind === 'redis') {
  client = new Redis(arg, { enableAutoPipelining: true, maxRetriesPerRequest: 1 })
  store = new RedisStore({ client, prefix: 'soak:' })
} else {
  throw new Error(`unknown store ${storeKind}: expected memory <maxEntries> or redis <url>`)
}

const app = express()
// Short lifetimes, so a store with native expiry (Redis) sheds the sessions the load abandons.
app.use(session({ secret: SECRET, store, cookie: { secure: false }, idleTimeout: '2m' }))
app.post('/visit', (req, res) => {
  req.session.update('visits', (n) => (typeof n === 'number' ? n : 0) + 1)
  res.json({ ok: true })
})
app.get('/visit', (req, res) => {
  res.json({ visits: req.session.get('visits') ?? null })
})

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port })
})
const timer = setInterval(() => {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage()
  process.send?.({ rss, heapUsed, heapTotal, external, storeSize: store.size ?? null })
}, 1000)

process.on('disconnect', () => {
  clearInterval(timer)
  server.close()
  server.closeAllConnections()
  client?.disconnect()
  process.exit(0)
})
