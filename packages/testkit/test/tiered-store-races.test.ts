import {
  CacheTimeoutError,
  createSessionEngine,
  MemoryStore,
  type SessionStore,
  type StoredSession,
  TieredStore,
  type TieredStoreOptions,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, randomKey, slowStore, storedRecord } from '../src/index.js'
import { wrapStore } from '../src/test-helpers/wrap-store.js'
import { controlledStore } from './controlled-store.js'

const SECRET = 'tiered-store-races-secret-0123456789abcdef'

interface Cart {
  cart: number[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What a {@link laggingCache} saw: reads it answered with a copy, and refills that landed. */
interface CacheTraffic {
  hits: number
  refills: number
}

/**
 * A cache whose writes reach it late (0–`maxMs` ms), so it lags behind the primary. It counts
 * the reads it answered with a copy, and the copies written where there was none (a refill
 * replacing its lease, or a create).
 */
function laggingCache(maxMs: number): {
  cache: MemoryStore
  lagging: SessionStore
  traffic: CacheTraffic
} {
  const cache = new MemoryStore()
  const traffic: CacheTraffic = { hits: 0, refills: 0 }
  const lagging = wrapStore(cache, async (method, call) => {
    if (method === 'set' || method === 'touch' || method === 'destroy') {
      await sleep(Math.random() * maxMs)
    }
    return call()
  })
  const { get, set } = lagging
  lagging.get = async (key) => {
    const record = await get(key)
    if (record?.payload.startsWith('s')) traffic.hits++
    return record
  }
  lagging.set = async (key, record, expected) => {
    const written = await set(key, record, expected)
    if (written && record.payload.startsWith('s') && (expected === null || isLease(expected))) {
      traffic.refills++
    }
    return written
  }
  return { cache, lagging, traffic }
}

/** Leases, and only they, have versions from 2^52 up to the fence's (see tiered-cache-entry.ts). */
const isLease = (version: number | null) =>
  version !== null && version >= 2 ** 52 && version < Number.MAX_SAFE_INTEGER

/**
 * Lets timers run. A read the cache answers from memory settles in microtasks only, so a loop
 * of them would starve every timer (and with them the writers it races) for good.
 */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** A store that remembers the keys written to it (the engine never tells which key is whose). */
function recordingKeys(inner: SessionStore): { store: SessionStore; keys: string[] } {
  const keys: string[] = []
  const store = wrapStore(inner, (_method, call) => call())
  const set = store.set
  store.set = (key, record, expected) => {
    if (!keys.includes(key)) keys.push(key)
    return set(key, record, expected)
  }
  return { store, keys }
}

function engineOver(store: SessionStore) {
  return createSessionEngine<Cart>({ secret: SECRET, store, storeTimeout: '20s' })
}

async function appendConcurrently(store: SessionStore, count: number) {
  const engine = engineOver(store)
  let conflicts = 0
  engine.on('conflict', () => conflicts++)
  const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', []))
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      exchange(engine, cookie, (s) => s.update('cart', (cart) => [...(cart ?? []), i])),
    ),
  )
  const { result } = await exchange(engine, cookie, (s) => s.get('cart'))
  return { cart: [...(result ?? [])].sort((a, b) => a - b), conflicts, cookie, engine }
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('TieredStore: a stale cache never loses an update or brings a session back', () => {
  it('a refill read before a destroy, landing after it, does not bring the session back', async () => {
    const cache = new MemoryStore()
    const primary = controlledStore(new MemoryStore())
    const store = new TieredStore({ cache, primary: primary.store })
    const key = randomKey()
    await store.set(key, storedRecord(), null)
    await cache.destroy(key) // evicted: the next read misses and refills
    const held = primary.hold('get', 'after')
    const reading = store.get(key)
    await held.reached // the primary answered "live"; the answer is still on its way
    await store.destroy(key)
    held.release()
    expect(await reading, 'that read began before the destroy').not.toBeNull()
    expect(await store.get(key)).toBeNull()
    expect(await store.get(key), 'and stays gone').toBeNull()
  })

  it('a refill read before a write, landing after it, does not put the old version back', async () => {
    const cache = new MemoryStore()
    const primary = controlledStore(new MemoryStore())
    const store = new TieredStore({ cache, primary: primary.store })
    const key = randomKey()
    await store.set(key, storedRecord({ version: 1 }), null)
    await cache.destroy(key)
    const held = primary.hold('get', 'after')
    const reading = store.get(key)
    await held.reached
    const newer = storedRecord({ version: 2 })
    expect(await store.set(key, newer, 1)).toBe(true)
    held.release()
    expect((await reading)?.version).toBe(1)
    expect(await store.get(key)).toEqual(newer)
  })

  it("a writer's cache update landing after a newer writer's does not roll the cache back", async () => {
    const cache = controlledStore(new MemoryStore())
    const primary = new MemoryStore()
    const store = new TieredStore({ cache: cache.store, primary })
    const key = randomKey()
    await store.set(key, storedRecord({ version: 1 }), null)
    const held = cache.hold('set', 'before')
    const v2 = storedRecord({ version: 2 })
    const first = store.set(key, v2, 1)
    await held.reached // v2 is in the primary; its copy has not reached the cache
    const v3 = storedRecord({ version: 3 })
    expect(await store.set(key, v3, 2)).toBe(true)
    held.release()
    expect(await first).toBe(true)
    expect(await store.get(key)).toEqual(v3)
  })

  it('a write based on a stale copy conflicts at the primary and is replayed on its version', async () => {
    const cache = new MemoryStore()
    const primary = recordingKeys(new MemoryStore())
    const engine = engineOver(new TieredStore({ cache, primary: primary.store }))
    let conflicts = 0
    engine.on('conflict', () => conflicts++)
    const first = await exchange(engine, undefined, (s) => s.set('cart', [1]))
    const key = primary.keys[0] as string
    const staleCopy = await cache.get(key)
    expect(staleCopy?.version).toBe(1)
    await exchange(engine, first.cookie, (s) => s.update('cart', (c) => [...(c ?? []), 2]))
    // The cache lags: it still holds the copy from before the second request.
    await cache.destroy(key)
    await cache.set(key, staleCopy as StoredSession, null)
    const lagging = await exchange(engine, first.cookie, (s) => {
      s.update('cart', (c) => [...(c ?? []), 3])
    })
    expect(conflicts, 'the stale version lost at the primary').toBeGreaterThan(0)
    expect(lagging.setCookie ?? '').not.toMatch(/Max-Age=0/)
    const { result } = await exchange(engine, first.cookie, (s) => s.get('cart'))
    expect(result).toEqual([1, 2, 3])
    expect((await cache.get(key))?.version, 'the conflict corrected the cache').toBe(3)
  })

  it('a copy the cache kept after the primary lost the session never comes back through a write', async () => {
    const cache = new MemoryStore()
    const primary = recordingKeys(new MemoryStore())
    const engine = engineOver(new TieredStore({ cache, primary: primary.store }))
    const first = await exchange(engine, undefined, (s) => s.set('cart', [1]))
    const key = primary.keys[0] as string
    await primary.store.destroy(key) // revoked behind the cache's back (its fence failed, say)
    expect(await cache.get(key), 'the cache still holds a copy').not.toBeNull()
    const write = await exchange(engine, first.cookie, (s) => s.set('cart', [1, 2]))
    expect(write.setCookie, 'the dead cookie is cleared, not re-issued').toMatch(/Max-Age=0/)
    expect(await primary.store.get(key), 'not re-created').toBeNull()
    const next = await exchange(engine, first.cookie, (s) => s.isNew)
    expect(next.result).toBe(true)
  })

  it('100 concurrent appends through a cache that lags keep all 100, and the cache catches up', async () => {
    const { cache, lagging } = laggingCache(15)
    const primary = recordingKeys(new MemoryStore())
    const store = new TieredStore({
      cache: lagging,
      primary: slowStore(primary.store, { minMs: 0, maxMs: 3 }),
      cacheTimeout: '5s',
    })
    const { cart, conflicts } = await appendConcurrently(store, 100)
    expect(conflicts).toBeGreaterThan(0)
    expect(cart).toEqual(oneToN(100))
    await expectCaughtUp(cache, primary.store, primary.keys[0] as string)
  }, 60_000)

  it('100 appends racing reads that refill an evicted cache keep all 100, and no stale copy stays', async () => {
    const { cache, lagging, traffic } = laggingCache(10)
    const primary = recordingKeys(new MemoryStore())
    const store = new TieredStore({
      cache: lagging,
      primary: slowStore(primary.store, { minMs: 0, maxMs: 3 }),
      cacheTimeout: '5s',
    })
    const engine = engineOver(store)
    const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', []))
    const key = primary.keys[0] as string
    traffic.refills = 0 // the create's copy
    // Evict the copy every 10 ms (an LRU cache under memory pressure), so reads keep refilling
    // it from the primary while writes move it forward. Evicting much more often than a refill
    // takes (a lease, a primary read, a copy: up to 26 ms here) would leave nothing to race.
    let evicting = true
    let evictions = 0
    const evictor = (async () => {
      while (evicting) {
        await cache.destroy(key)
        evictions++
        await sleep(10)
      }
    })()
    // A read that starts after `answered` appends have answered sees at least that many items:
    // a stale copy left in the cache would show fewer.
    let answered = 0
    let staleReads = 0
    let writing = true
    let reads = 0
    const readers = Array.from({ length: 20 }, async () => {
      while (writing) {
        const floor = answered
        const { result } = await exchange(engine, cookie, (s) => s.get('cart'))
        if ((result?.length ?? 0) < floor) staleReads++
        reads++
        await nextTurn()
      }
    })
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        // Spread over 300 ms, as requests arrive: refills land between writes, and race them.
        await sleep(Math.random() * 300)
        await exchange(engine, cookie, (s) => s.update('cart', (cart) => [...(cart ?? []), i]))
        answered++
      }),
    )
    writing = false
    evicting = false
    await Promise.all([...readers, evictor])
    expect(evictions).toBeGreaterThan(10)
    expect(reads).toBeGreaterThan(100)
    expect(traffic.refills, 'reads did refill the evicted cache').toBeGreaterThan(0)
    expect(traffic.hits, 'and were served from it').toBeGreaterThan(0)
    expect(staleReads, 'reads older than a write that had answered').toBe(0)
    const { result } = await exchange(engine, cookie, (s) => s.get('cart'))
    expect([...(result ?? [])].sort((a, b) => a - b)).toEqual(oneToN(100))
    await expectCaughtUp(cache, primary.store, key)
  }, 60_000)
})

/**
 * Once every request has settled, the cache holds the primary's version of `key`, or no copy
 * at all (nothing, a fence or a lease): never an older one.
 */
async function expectCaughtUp(cache: MemoryStore, primary: SessionStore, key: string) {
  const truth = await primary.get(key)
  const raw = await cache.get(key)
  if (raw?.payload.startsWith('s')) {
    expect(raw.version, 'the copy left in the cache is the latest version').toBe(truth?.version)
  } else {
    expect(raw === null || raw.payload === 'f' || raw.payload === 'l').toBe(true)
  }
  // Read twice: the first may refill from the primary.
  expect(await new TieredStore({ cache, primary }).get(key)).toEqual(truth)
}

describe('TieredStore: a failing cache does not fail requests', () => {
  function failingCacheStore(options: Partial<TieredStoreOptions> = {}) {
    const cache = controlledStore(new MemoryStore())
    const primary = new MemoryStore()
    const errors: Array<[unknown, string]> = []
    const store = new TieredStore({
      cache: cache.store,
      primary,
      onCacheError: (error, operation) => errors.push([error, operation]),
      ...options,
    })
    return { cache, primary, store, errors }
  }

  it('a cache that fails every call: login, writes, reads and logout all work', async () => {
    const { cache, store, errors } = failingCacheStore()
    for (const method of ['get', 'set', 'touch', 'destroy'] as const) cache.fail(method)
    const engine = engineOver(store)
    const first = await exchange(engine, undefined, (s) => s.login('ada'))
    const second = await exchange(engine, first.cookie, (s) => s.set('cart', [1]))
    expect((await exchange(engine, second.cookie, (s) => s.get('cart'))).result).toEqual([1])
    const out = await exchange(engine, second.cookie, (s) => s.destroy())
    expect(out.setCookie).toMatch(/Max-Age=0/)
    expect((await exchange(engine, second.cookie, (s) => s.isNew)).result).toBe(true)
    expect(errors.length).toBeGreaterThan(0)
    expect(new Set(errors.map(([, operation]) => operation))).toEqual(
      new Set(['get', 'set', 'destroy']),
    )
  })

  it('a cache that never answers: each call gives up after cacheTimeout', async () => {
    const { cache, store, errors } = failingCacheStore({ cacheTimeout: '30ms' })
    for (const method of ['get', 'set', 'destroy'] as const) cache.hang(method)
    const engine = engineOver(store)
    const started = Date.now()
    const first = await exchange(engine, undefined, (s) => s.set('cart', [1]))
    expect((await exchange(engine, first.cookie, (s) => s.get('cart'))).result).toEqual([1])
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(errors[0]?.[0]).toBeInstanceOf(CacheTimeoutError)
  })

  it('a cache write that fails after the primary write leaves no stale copy behind', async () => {
    const { cache, primary, store } = failingCacheStore()
    const key = randomKey()
    await store.set(key, storedRecord({ version: 1 }), null)
    expect(await store.get(key)).not.toBeNull() // cached
    cache.fail('set')
    const v2 = storedRecord({ version: 2 })
    expect(await store.set(key, v2, 1)).toBe(true)
    expect(await primary.get(key)).toEqual(v2)
    expect(await store.get(key), 'the old copy was deleted, so the primary answers').toEqual(v2)
  })

  it('when deleting the copy fails too, the stale copy lives at most cacheTtl', async () => {
    const { cache, store } = failingCacheStore({ cacheTtl: 300 })
    const key = randomKey()
    const cachedAt = Date.now()
    await store.set(key, storedRecord({ version: 1 }), null)
    cache.fail('set')
    cache.fail('destroy')
    const v2 = storedRecord({ version: 2 })
    expect(await store.set(key, v2, 1)).toBe(true)
    // The documented bound: reads may see version 1 until its copy expires...
    const stale = await store.get(key)
    if (Date.now() - cachedAt < 250) expect(stale?.version).toBe(1)
    await sleep(Math.max(0, cachedAt + 350 - Date.now()))
    // ...and never after.
    expect(await store.get(key)).toEqual(v2)
  })

  it('a flaky cache (half its calls fail) loses none of 100 concurrent appends', async () => {
    const { cache, store, errors } = failingCacheStore({ cacheTimeout: '5s' })
    for (const method of ['get', 'set', 'touch', 'destroy'] as const) cache.fail(method, 0.5)
    const { cart } = await appendConcurrently(store, 100)
    expect(cart).toEqual(oneToN(100))
    expect(errors.length, 'the cache did fail').toBeGreaterThan(20)
  }, 60_000)
})
