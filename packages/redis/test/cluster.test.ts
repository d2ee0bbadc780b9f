import { skipOrFail, startRedisCluster } from '@tessera/test-support'
import {
  describeStore,
  EVERY_OPTIONAL_METHOD,
  randomKey,
  randomUserId,
  type StoreCapabilities,
  storedRecord,
} from '@tessera/testkit'
import { Cluster, Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.js'
import { countCommands, deleteKeys, uniquePrefix } from './helpers.js'

// A real 3-master Redis Cluster, started from redis-server on free ports in temp dirs, and
// stopped after the file. Without redis-server and redis-cli the file skips loudly (fails under CI).
const cluster = await startRedisCluster({ masters: 3 })
if (!cluster) {
  skipOrFail(
    'Redis Cluster',
    'redis-server and redis-cli are not installed: cannot start a Redis Cluster',
  )
}

describe.skipIf(!cluster)('RedisStore on a 3-master Redis Cluster', () => {
  const client = new Cluster([...(cluster?.nodes ?? [])], {
    enableAutoPipelining: true,
    redisOptions: { maxRetriesPerRequest: 1 },
    lazyConnect: true,
  })
  afterAll(async () => {
    client.disconnect()
    await cluster?.stop()
  })

  for (const [label, prefix] of [
    ['split slots', uniquePrefix('cluster')],
    ['hash-tagged prefix', `{${uniquePrefix('tagged')}}:`],
  ] as const) {
    const capabilities: StoreCapabilities = {
      ...EVERY_OPTIONAL_METHOD,
      prune: false,
      cleanup: () => deleteKeys(client, prefix),
      extraTests: (getStore) => {
        it(`keeps the index ${label === 'split slots' ? 'with separate calls' : 'in its scripts'}`, () => {
          expect((getStore() as RedisStore).indexInScripts).toBe(label !== 'split slots')
        })
      },
    }
    describeStore(
      `RedisStore (Cluster, ${label})`,
      () => new RedisStore({ client, prefix }),
      capabilities,
    )
  }

  describe('split-slot index', () => {
    const prefix = uniquePrefix('split')
    const store = new RedisStore({ client, prefix })
    afterAll(() => deleteKeys(client, prefix))

    it('spreads sessions over the masters', async () => {
      const keys = Array.from({ length: 30 }, () => randomKey())
      for (const key of keys) expect(await store.set(key, storedRecord(), null)).toBe(true)
      const perNode = await Promise.all(
        client.nodes('master').map(async (node) => {
          let count = 0
          let cursor = '0'
          do {
            const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}sess:*`, 'COUNT', 500)
            cursor = next
            count += found.length
          } while (cursor !== '0')
          return count
        }),
      )
      expect(perNode.reduce((a, b) => a + b, 0)).toBe(30)
      expect(perNode.filter((n) => n > 0).length).toBeGreaterThan(1)
    })

    it('indexes a user with a promise of twice the remaining lifetime, then rewrites in one script', async () => {
      const key = randomKey()
      const userId = randomUserId()
      const expiresAt = Date.now() + 60_000
      expect(await store.set(key, storedRecord({ userId, expiresAt }), null)).toBe(true)
      const score = Number(await client.zscore(`${prefix}user:${userId}`, key))
      expect(score).toBeGreaterThanOrEqual(expiresAt + 59_000)
      expect(await client.hget(`${prefix}sess:${key}`, 'x')).toBe(String(score))
      // A later write within the promise leaves the index alone.
      expect(
        await store.set(key, storedRecord({ userId, version: 2, expiresAt: expiresAt + 1_000 }), 1),
      ).toBe(true)
      expect(Number(await client.zscore(`${prefix}user:${userId}`, key))).toBe(score)
      // A touch past the promise re-indexes first.
      await store.touch(key, score + 10_000)
      expect(Number(await client.zscore(`${prefix}user:${userId}`, key))).toBeGreaterThan(
        score + 10_000,
      )
      expect(await client.pexpiretime(`${prefix}user:${userId}`)).toBeGreaterThan(score + 10_000)
    })

    it('costs one command per call, plus the index call when a signed-in session needs one', async () => {
      const admins = cluster!.nodes.map(({ port }) => new Redis(port, '127.0.0.1'))
      try {
        const warm = randomKey()
        const warmUser = randomUserId()
        await store.set(warm, storedRecord({ userId: warmUser }), null)
        await store.touch(warm, Date.now() + 60_000)
        await store.listByUser(warmUser)
        await store.destroyByUser(warmUser)
        const anonymous = randomKey()
        const userId = randomUserId()
        const signedIn = randomKey()
        const expiresAt = Date.now() + 60_000
        const raw = {
          anonymousCreate: await countCommands(admins, () =>
            store.set(anonymous, storedRecord(), null),
          ),
          get: await countCommands(admins, () => store.get(anonymous)),
          anonymousUpdate: await countCommands(admins, () =>
            store.set(anonymous, storedRecord({ version: 2 }), 1),
          ),
          anonymousTouch: await countCommands(admins, () => store.touch(anonymous, expiresAt)),
          signedInCreate: await countCommands(admins, () =>
            store.set(signedIn, storedRecord({ userId, expiresAt }), null),
          ),
          signedInUpdate: await countCommands(admins, () =>
            store.set(
              signedIn,
              storedRecord({ userId, version: 2, expiresAt: expiresAt + 1_000 }),
              1,
            ),
          ),
          signedInTouch: await countCommands(admins, () =>
            store.touch(signedIn, expiresAt + 2_000),
          ),
          signedInTouchPastPromise: await countCommands(admins, () =>
            store.touch(signedIn, expiresAt + 10 * 60_000),
          ),
        }
        // The first script call on a node's connection is an EVAL (ioredis then uses EVALSHA):
        // either is one round trip.
        const counts = Object.fromEntries(
          Object.entries(raw).map(([name, calls]) => {
            const { eval: evals = 0, evalsha = 0, ...rest } = calls
            return [name, evals + evalsha > 0 ? { ...rest, script: evals + evalsha } : rest]
          }),
        )
        console.info('Cluster (split) commands per store call:', counts)
        expect(counts.anonymousCreate).toEqual({ script: 1 })
        expect(counts.get).toEqual({ hmget: 1 })
        expect(counts.anonymousUpdate).toEqual({ script: 1 })
        expect(counts.anonymousTouch).toEqual({ script: 1 })
        expect(counts.signedInCreate).toEqual({ script: 3 })
        expect(counts.signedInUpdate).toEqual({ script: 1 })
        expect(counts.signedInTouch).toEqual({ script: 1 })
        expect(counts.signedInTouchPastPromise).toEqual({ script: 3 })
      } finally {
        for (const admin of admins) admin.disconnect()
      }
    })

    it('a refused write never leaves an entry that listByUser reports', async () => {
      const key = randomKey()
      const alice = randomUserId()
      const mallory = randomUserId()
      expect(await store.set(key, storedRecord({ userId: alice }), null)).toBe(true)
      expect(await store.set(key, storedRecord({ userId: mallory, version: 2 }), 7)).toBe(false)
      expect(await store.listByUser(mallory)).toEqual([])
      expect((await store.listByUser(alice)).map((s) => s.key)).toEqual([key])
    })
  })
})
