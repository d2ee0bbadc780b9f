import { randomKey, slowStore } from '@tessera/testkit'
import { describe, expect, it } from 'vitest'
import { MinimalStore, ReferenceStore } from './reference-store.js'

describe('slowStore', () => {
  it('has exactly the optional methods of the wrapped store', () => {
    const full = slowStore(new ReferenceStore())
    expect(typeof full.listByUser).toBe('function')
    expect(typeof full.destroyByUser).toBe('function')
    expect(typeof full.prune).toBe('function')
    const minimal = slowStore(new MinimalStore())
    expect(minimal.listByUser).toBeUndefined()
    expect(minimal.destroyByUser).toBeUndefined()
    expect(minimal.prune).toBeUndefined()
    expect(minimal.close).toBeUndefined()
  })

  it('delays each call on both sides, and passes results through', async () => {
    const store = slowStore(new ReferenceStore(), { minMs: 20, maxMs: 25 })
    const key = randomKey()
    const started = performance.now()
    expect(
      await store.set(key, { payload: 'p', version: 1, expiresAt: Date.now() + 60_000 }, null),
    ).toBe(true)
    expect(performance.now() - started).toBeGreaterThanOrEqual(38)
    expect((await store.get(key))?.payload).toBe('p')
  })

  it('lets concurrent calls interleave out of order', async () => {
    const order: number[] = []
    const store = slowStore(new ReferenceStore(), { minMs: 0, maxMs: 15 })
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.get(randomKey()).then(() => order.push(i))),
    )
    expect(order).toHaveLength(30)
    expect(order).not.toEqual([...order].sort((a, b) => a - b))
  })

  it('rejects bad bounds', () => {
    expect(() => slowStore(new ReferenceStore(), { minMs: 5, maxMs: 1 })).toThrow(RangeError)
    expect(() => slowStore(new ReferenceStore(), { minMs: -1 })).toThrow(RangeError)
  })
})
