import { MemoryStore, SessionConfigError } from '@tessera/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { describeStore, randomKey, randomUserId, storedRecord } from '../src/index.js'

describeStore('MemoryStore', () => new MemoryStore(), {
  listByUser: true,
  destroyByUser: true,
  prune: true,
  isolated: true,
})

describe('MemoryStore bound (LRU)', () => {
  it('keeps at most maxEntries, evicting the least recently used on insert', async () => {
    const store = new MemoryStore({ maxEntries: 3 })
    const [a, b, c, d, e] = [randomKey(), randomKey(), randomKey(), randomKey(), randomKey()]
    for (const key of [a, b, c]) expect(await store.set(key, storedRecord(), null)).toBe(true)
    expect(await store.get(a)).not.toBeNull() // a is now the most recently used; b the least
    expect(await store.set(d, storedRecord(), null)).toBe(true)
    expect(store.size).toBe(3)
    expect(await store.get(b), 'b was least recently used').toBeNull()
    await store.touch(c, Date.now() + 120_000) // touch counts as use: a is now the least
    expect(await store.set(e, storedRecord(), null)).toBe(true)
    expect(await store.get(a)).toBeNull()
    for (const key of [c, d, e]) expect(await store.get(key)).not.toBeNull()
    await store.close()
  })

  it('rewriting an existing key does not evict, and counts as use', async () => {
    const store = new MemoryStore({ maxEntries: 2 })
    const [a, b, c] = [randomKey(), randomKey(), randomKey()]
    await store.set(a, storedRecord(), null)
    await store.set(b, storedRecord(), null)
    expect(await store.set(a, storedRecord({ version: 2 }), 1)).toBe(true)
    expect(store.size).toBe(2)
    await store.set(c, storedRecord(), null)
    expect(await store.get(b)).toBeNull()
    expect((await store.get(a))?.version).toBe(2)
    await store.close()
  })

  it('an evicted session leaves the per-user index', async () => {
    const store = new MemoryStore({ maxEntries: 1 })
    const user = randomUserId()
    const [a, b] = [randomKey(), randomKey()]
    await store.set(a, storedRecord({ userId: user }), null)
    await store.set(b, storedRecord(), null)
    expect(await store.listByUser(user)).toEqual([])
    expect(await store.destroyByUser(user)).toBe(0)
    await store.close()
  })

  it('rejects a bad maxEntries or sweepInterval', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(SessionConfigError)
    expect(() => new MemoryStore({ maxEntries: 1.5 })).toThrow(/maxEntries/)
    expect(() => new MemoryStore({ sweepInterval: -1 })).toThrow(/sweepInterval/)
    expect(() => new MemoryStore({ maxEntries: Number.POSITIVE_INFINITY })).not.toThrow()
  })
})

describe('MemoryStore sweep', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('removes expired entries in the background, every sweepInterval', async () => {
    vi.useFakeTimers()
    const store = new MemoryStore({ sweepInterval: '10s' })
    const user = randomUserId()
    await store.set(
      randomKey(),
      storedRecord({ expiresAt: Date.now() + 1_000, userId: user }),
      null,
    )
    await store.set(randomKey(), storedRecord({ expiresAt: Date.now() + 1_000 }), null)
    const live = randomKey()
    await store.set(live, storedRecord({ expiresAt: Date.now() + 60_000, userId: user }), null)
    expect(store.size).toBe(3)
    vi.advanceTimersByTime(9_000)
    expect(store.size, 'expired, but not swept yet').toBe(3)
    vi.advanceTimersByTime(1_000)
    expect(store.size).toBe(1)
    expect((await store.listByUser(user)).map((s) => s.key)).toEqual([live])
    await store.close()
  })

  it('starts the timer on the first write, and close() stops it', async () => {
    vi.useFakeTimers()
    const store = new MemoryStore({ sweepInterval: 1_000 })
    expect(vi.getTimerCount(), 'no timer before the first write').toBe(0)
    await store.set(randomKey(), storedRecord({ expiresAt: Date.now() + 500 }), null)
    expect(vi.getTimerCount()).toBe(1)
    await store.close()
    expect(vi.getTimerCount()).toBe(0)
    await store.set(randomKey(), storedRecord(), null)
    expect(vi.getTimerCount(), 'no timer after close()').toBe(0)
    vi.advanceTimersByTime(5_000)
    expect(store.size, 'nothing swept after close()').toBe(2)
  })

  it('unrefs its timer so it never keeps the process alive', async () => {
    const unref = vi.fn()
    const spy = vi.spyOn(globalThis, 'setInterval').mockImplementation((() => ({
      unref,
    })) as unknown as typeof setInterval)
    const clear = vi.spyOn(globalThis, 'clearInterval').mockImplementation(() => {})
    try {
      const store = new MemoryStore()
      await store.set(randomKey(), storedRecord(), null)
      expect(spy).toHaveBeenCalledTimes(1)
      expect(unref).toHaveBeenCalledTimes(1)
      await store.close()
      expect(clear).toHaveBeenCalledTimes(1)
    } finally {
      spy.mockRestore()
      clear.mockRestore()
    }
  })

  it('sweepInterval: false never starts a timer; expired entries still read as absent', async () => {
    vi.useFakeTimers()
    const store = new MemoryStore({ sweepInterval: false })
    const key = randomKey()
    await store.set(key, storedRecord({ expiresAt: Date.now() + 100 }), null)
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(200)
    expect(store.size).toBe(1)
    expect(await store.get(key)).toBeNull()
    expect(store.size, 'dropped on access').toBe(0)
  })
})

describe('MemoryStore copies', () => {
  it('listByUser hands out copies', async () => {
    const store = new MemoryStore()
    const user = randomUserId()
    const key = randomKey()
    await store.set(key, storedRecord({ userId: user, payload: 'kept' }), null)
    const [listed] = await store.listByUser(user)
    if (listed) listed.payload = 'changed'
    expect((await store.get(key))?.payload).toBe('kept')
    await store.close()
  })
})
