// The Redis README's quick example.
// #region quick-example
import { createSessionEngine } from '@tessera/core'
import { RedisStore } from '@tessera/redis'
import { Redis } from 'ioredis'

const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  enableAutoPipelining: true, // concurrent requests share round trips
  maxRetriesPerRequest: 1, // while Redis is down, fail fast: the engine answers 503
})
client.on('error', (error) => console.error('redis:', error.message)) // log, don't crash

const engine = createSessionEngine({
  secret: process.env.SESSION_SECRET!,
  store: new RedisStore({ client, prefix: 'myapp:' }),
})

// With Express, Koa or Hono, pass the same `store` to the adapter's `session({ ... })`.
// At shutdown, `await client.quit()`: the store never closes a client you passed in.
// #endregion quick-example

export { client, engine }
