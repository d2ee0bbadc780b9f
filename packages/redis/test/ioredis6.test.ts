import { requireRedis } from '@tessera/test-support'
import { describeStore, EVERY_OPTIONAL_METHOD } from '@tessera/testkit'
import { Redis } from 'ioredis6'
import { afterAll } from 'vitest'
import { RedisStore } from '../src/index.js'
import { deleteKeys, uniquePrefix } from './helpers.js'

// The peer range includes ioredis 6: the whole conformance kit runs on it too.
const redis = await requireRedis()

if (redis) {
  const prefix = uniquePrefix('ioredis6')
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true })
  // The test helper is typed for ioredis 5; the store itself takes either (RedisClient).
  const cleanup = () => deleteKeys(client as unknown as Parameters<typeof deleteKeys>[0], prefix)
  afterAll(async () => {
    await cleanup()
    await client.quit()
    await redis.stop()
  })
  describeStore('RedisStore on ioredis 6', () => new RedisStore({ client, prefix }), {
    ...EVERY_OPTIONAL_METHOD,
    prune: false,
    cleanup,
  })
}
