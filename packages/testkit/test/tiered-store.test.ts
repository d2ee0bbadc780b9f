import {
  createSessionEngine,
  MemoryStore,
  SessionConfigError,
  type SessionStore,
  SessionStoreConfigError,
  TieredStore,
} from '@tessera/core'
import { describe, expect, it, vi } from 'vitest'
import {
  describeStore,
  exchange,
  randomKey,
  randomUserId,
  slowStore,
  storedRecord,
} from '../src/index.js'
import { wrapStore } from '../src/test-helpers/wrap-store.js'
import { controlledStore } from './controlled-store.js'
import { MinimalStore, ReferenceStore } from './reference-store.js'

const SECRET = 'tiered-store-test-secret-0123456789abcdef'
const FULL = { listByUser: true, destroyByUser: true, prune: true, isolated: true } as const

describeStore(
  'TieredStore (MemoryStore cache, MemoryStore primary)',
  () => new TieredStore({ cache: new MemoryStore(), primary: new MemoryStore() }),
  FULL,
)

describeStore(
  'TieredStore (slow cache, slow primary)',
  () =>
    new TieredStore({
      cache: slowStore(new MemoryStore(), { minMs: 0, maxMs: 4 }),
      primary: slowStore(new MemoryStore(), { minMs: 0, maxMs: 4 }),
      cacheTimeout: '5s',
    }),
  FULL,
)

describeStore(
  'TieredStore (cache without a per-user index, primary with the whole contract)',
  () => new TieredStore({ cache: new MinimalStore(), primary: new ReferenceStore() }),
  FULL,
)

describeStore(
  'TieredStore (primary without optional methods)',
  () => new TieredStore({ cache: new MemoryStore(), primary: new MinimalStore() }),
  { listByUser: false, destroyByUser: false, prune: false, isolated: true },
)

describe('TieredStore reads and writes', () => {
  it('serves a read from the cache once filled, and refills it after a miss', async () => {
    const cache = new MemoryStore()
    const primary = new MemoryStore()
    const store = new TieredStore({ cache, primary })
    const key = randomKey()
    const record = storedRecord({ userId: randomUserId() })
    await primary.set(key, record, null)
    expect(await cache.get(key)).toBeNull()
    expect(await store.get(key)).toEqual(record) // a miss: from the primary, then cached
    expect(await cache.get(key)).not.toBeNull()
    await primary.destroy(key) // behind the store's back: only the cache can answer now
    expect(await store.get(key), 'the second read came from the cache').toEqual(record)
  })

  it('keeps the real expiry, while the cached copy lives at most cacheTtl', async () => {
    const cache = new MemoryStore()
    const store = new TieredStore({ cache, primary: new MemoryStore(), cacheTtl: '2s' })
    const key = randomKey()
    const expiresAt = Date.now() + 3_600_000
    await store.set(key, storedRecord({ expiresAt }), null)
    const copy = await cache.get(key)
    expect(copy?.expiresAt).toBeLessThanOrEqual(Date.now() + 2_000)
    expect((await store.get(key))?.expiresAt).toBe(expiresAt)
    const later = expiresAt + 60_000
    await store.touch(key, later)
    expect((await store.get(key))?.expiresAt).toBe(later)
    expect((await cache.get(key))?.expiresAt, 'a touch never extends the copy').toBe(
      copy?.expiresAt,
    )
  })

  it('never serves a record the cache holds that a TieredStore did not write', async () => {
    const cache = new MemoryStore()
    const primary = new MemoryStore()
    const store = new TieredStore({ cache, primary })
    const key = randomKey()
    await cache.set(key, storedRecord({ payload: 'someone else' }), null)
    await primary.set(key, storedRecord({ payload: 'the session' }), null)
    expect((await store.get(key))?.payload).toBe('the session')
    expect((await cache.get(key))?.payload, 'left alone').toBe('someone else')
  })

  it('runs the engine end to end: login, update, revoke all', async () => {
    const cache = new MemoryStore()
    const primary = new MemoryStore()
    const engine = createSessionEngine<{ cart: number[] }>({
      secret: SECRET,
      store: new TieredStore({ cache, primary }),
    })
    const userId = randomUserId()
    const first = await exchange(engine, undefined, (s) => s.login(userId))
    const second = await exchange(engine, first.cookie, (s) => s.set('cart', [1]))
    expect((await exchange(engine, second.cookie, (s) => s.get('cart'))).result).toEqual([1])
    expect(await engine.listUserSessions(userId)).toHaveLength(1)
    expect(await engine.revokeUserSessions(userId)).toBe(1)
    const after = await exchange(engine, second.cookie, (s) => [s.isNew, s.userId])
    expect(after.result, 'revoked: the cached copy is not served').toEqual([true, null])
  })
})

describe('TieredStore capabilities, ready and close', () => {
  it('has listByUser, destroyByUser and prune exactly when the primary has them', () => {
    const full = new TieredStore({ cache: new MinimalStore(), primary: new MemoryStore() })
    expect(typeof full.listByUser).toBe('function')
    expect(typeof full.destroyByUser).toBe('function')
    expect(typeof full.prune).toBe('function')
    const bare = new TieredStore({ cache: new MemoryStore(), primary: new MinimalStore() })
    expect('listByUser' in bare).toBe(false)
    expect('destroyByUser' in bare).toBe(false)
    expect('prune' in bare).toBe(false)
  })

  it('has destroyByUser only when the copies of revoked sessions can be found', async () => {
    const revoking = (): SessionStore =>
      Object.assign(new MinimalStore(), { destroyByUser: async () => 0 })
    const blind = new TieredStore({ cache: new MinimalStore(), primary: revoking() })
    expect('destroyByUser' in blind, 'nothing lists: a revoked copy would stay signed in').toBe(
      false,
    )
    const cacheLists = new TieredStore({ cache: new MemoryStore(), primary: revoking() })
    expect(typeof cacheLists.destroyByUser).toBe('function')
    expect('listByUser' in cacheLists, "listByUser stays the primary's").toBe(false)
  })

  it('revoking through a cache that lists fences a copy the primary did not list', async () => {
    const cache = new MemoryStore()
    const inner = new MemoryStore()
    // A primary that revokes by user but cannot list: only the cache can name the copies.
    const primary: SessionStore = {
      get: (key) => inner.get(key),
      set: (key, record, expected) => inner.set(key, record, expected),
      touch: (key, expiresAt) => inner.touch(key, expiresAt),
      destroy: (key) => inner.destroy(key),
      destroyByUser: (userId, exceptKey) => inner.destroyByUser(userId, exceptKey),
    }
    const store = new TieredStore({ cache, primary })
    const userId = randomUserId()
    const [kept, revoked] = [randomKey(), randomKey()]
    await store.set(kept, storedRecord({ userId }), null)
    await store.set(revoked, storedRecord({ userId }), null)
    expect(await store.destroyByUser?.(userId, kept)).toBe(1)
    expect(await store.get(revoked)).toBeNull()
    expect(await store.get(kept)).not.toBeNull()
  })

  it('prune() prunes the primary, and the cache when it can, reporting a cache failure', async () => {
    const cache = controlledStore(new MemoryStore())
    const primary = new MemoryStore()
    const errors: string[] = []
    const store = new TieredStore({
      cache: cache.store,
      primary,
      onCacheError: (_error, operation) => errors.push(operation),
    })
    const key = randomKey()
    await store.set(key, storedRecord({ expiresAt: Date.now() + 20 }), null)
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(await store.prune?.()).toBe(1)
    expect(await cache.store.prune?.(), 'the copy was pruned with it').toBe(0)
    cache.fail('prune')
    await expect(store.prune?.()).resolves.toBe(0)
    expect(errors).toEqual(['prune'])
  })

  it('a primary write or destroy whose answer is lost (it landed) leaves no stale copy', async () => {
    // The call reaches the primary, but its answer is lost (a timeout, a dropped connection).
    let losing = false
    const primary = wrapStore(new MemoryStore(), async (method, call) => {
      const result = await call()
      if (losing && (method === 'set' || method === 'destroy')) throw new Error('answer lost')
      return result
    })
    const cache = new MemoryStore()
    const store = new TieredStore({ cache, primary })
    const key = randomKey()
    await store.set(key, storedRecord({ version: 1 }), null)
    expect((await cache.get(key))?.version, 'cached').toBe(1)
    losing = true
    const v2 = storedRecord({ version: 2 })
    await expect(store.set(key, v2, 1)).rejects.toThrow('answer lost')
    expect(await store.get(key), 'the primary answers, not the old copy').toEqual(v2)
    await expect(store.destroy(key)).rejects.toThrow('answer lost')
    expect(await store.get(key), 'not the destroyed copy').toBeNull()
  })

  it('ready() fails on a setup mistake in either store, and on a primary outage', async () => {
    const mistake = new SessionStoreConfigError('TABLE_MISSING', 'create the table')
    const broken = (error: Error): SessionStore =>
      Object.assign(new MinimalStore(), { ready: () => Promise.reject(error) })
    const onCacheError = vi.fn()
    await expect(
      new TieredStore({ cache: broken(mistake), primary: new MemoryStore() }).ready(),
    ).rejects.toBe(mistake)
    await expect(
      new TieredStore({ cache: new MemoryStore(), primary: broken(mistake) }).ready(),
    ).rejects.toBe(mistake)
    const down = new Error('connection refused')
    await expect(
      new TieredStore({ cache: new MemoryStore(), primary: broken(down) }).ready(),
    ).rejects.toBe(down)
    await expect(
      new TieredStore({ cache: broken(down), primary: new MemoryStore(), onCacheError }).ready(),
      'a cache outage is not a reason to refuse requests the primary can answer',
    ).resolves.toBeUndefined()
    expect(onCacheError).toHaveBeenCalledWith(down, 'ready')
  })

  it('close() closes both stores, even when the first fails', async () => {
    const closed: string[] = []
    const closing = (name: string, fails = false): SessionStore =>
      Object.assign(new MinimalStore(), {
        close: async () => {
          closed.push(name)
          if (fails) throw new Error(`${name} close failed`)
        },
      })
    await new TieredStore({ cache: closing('cache'), primary: closing('primary') }).close()
    expect(closed).toEqual(['cache', 'primary'])
    closed.length = 0
    await expect(
      new TieredStore({ cache: closing('cache', true), primary: closing('primary') }).close(),
    ).rejects.toThrow('cache close failed')
    expect(closed).toEqual(['cache', 'primary'])
  })

  it('rejects a missing store, one store in both roles, and bad durations', () => {
    const memory = new MemoryStore()
    expect(() => new TieredStore({ cache: memory, primary: memory })).toThrow(SessionConfigError)
    expect(
      () => new TieredStore({ cache: {} as SessionStore, primary: new MemoryStore() }),
    ).toThrow(/`cache`/)
    expect(
      () =>
        new TieredStore({
          cache: new MemoryStore(),
          primary: undefined as unknown as SessionStore,
        }),
    ).toThrow(/`primary`/)
    expect(
      () => new TieredStore({ cache: new MemoryStore(), primary: new MemoryStore(), cacheTtl: 0 }),
    ).toThrow(/cacheTtl/)
    expect(
      () =>
        new TieredStore({
          cache: new MemoryStore(),
          primary: new MemoryStore(),
          cacheTimeout: 'soon' as '1s',
        }),
    ).toThrow(/cacheTimeout/)
  })

  it('a primary failure fails the call: the cache never answers for a primary that cannot', async () => {
    const primary = controlledStore(new MemoryStore())
    const store = new TieredStore({ cache: new MemoryStore(), primary: primary.store })
    primary.fail('get')
    await expect(store.get(randomKey())).rejects.toThrow(/test fault/)
    primary.fail('set')
    await expect(store.set(randomKey(), storedRecord(), null)).rejects.toThrow(/test fault/)
  })
})
