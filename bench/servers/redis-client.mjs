import { Redis } from 'ioredis'

/**
 * One ioredis client per server process, with the same options for every library that uses
 * Redis (connect-redis, the koa-session store, @tessera/redis), so the comparison is of the
 * libraries, not of client settings. Auto-pipelining is what @tessera/redis recommends and
 * helps every library alike.
 */
export function createRedisClient(url) {
  const client = new Redis(url, { enableAutoPipelining: true, maxRetriesPerRequest: 1 })
  client.on('error', (error) => console.error('redis:', error.message))
  return client
}

/**
 * A koa-session external store on ioredis, the shape koa-session documents:
 * `get(key, maxAge, { rolling, ctx })`, `set(key, sess, maxAge, { rolling, changed, ctx })`,
 * `destroy(key, { ctx })`, like koa-redis: JSON under a prefix, expiring after `maxAge` ms.
 */
export function koaSessionRedisStore(client, prefix) {
  return {
    async get(key) {
      const json = await client.get(prefix + key)
      return json === null ? undefined : JSON.parse(json)
    },
    async set(key, sess, maxAge) {
      const json = JSON.stringify(sess)
      if (typeof maxAge === 'number') await client.set(prefix + key, json, 'PX', maxAge)
      else await client.set(prefix + key, json)
    },
    async destroy(key) {
      await client.del(prefix + key)
    },
  }
}
