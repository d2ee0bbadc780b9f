import { requireRedis } from '@tessera/test-support'
import { describeStore, EVERY_OPTIONAL_METHOD, type StoreCapabilities } from '@tessera/testkit'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.js'
import { deleteKeys, uniquePrefix } from './helpers.js'

// The conformance suite against the machine's Redis (REDIS_URL or 127.0.0.1:6379), else a
// private redis-server; the Cluster run is in cluster.test.ts.
const redis = await requireRedis()

if (redis) {
  const prefix = uniquePrefix('conformance')
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1, enableAutoPipelining: true })
  afterAll(async () => {
    await deleteKeys(client, prefix)
    await client.quit()
    await redis.stop()
  })

  const capabilities: StoreCapabilities = {
    ...EVERY_OPTIONAL_METHOD,
    prune: false, // Redis expires keys itself
    cleanup: () => deleteKeys(client, prefix),
    extraTests: (getStore) => {
      it('keeps the index in its scripts on a standalone server', () => {
        expect((getStore() as RedisStore).indexInScripts).toBe(true)
      })
    },
  }
  describeStore('RedisStore (standalone)', () => new RedisStore({ client, prefix }), capabilities)
} else {
  describe.skip('RedisStore (standalone): no Redis', () => {
    it('skipped', () => {})
  })
}
