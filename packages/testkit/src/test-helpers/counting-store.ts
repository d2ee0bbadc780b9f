import { MemoryStore, type SessionStore } from '@tessera/core'
import { type StoreMethod, wrapStore } from './wrap-store.js'

/** How many times each store method was called; a method never called has no entry. */
export type StoreCallCounts = Partial<Record<StoreMethod, number>>

/**
 * A store that counts its calls, from {@link countingStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { countingStore, exchange } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 *
 * it('a request without a session id costs no store call', async () => {
 *   const { store, calls } = countingStore()
 *   const engine = createSessionEngine({ secret: 'a-secret-of-at-least-32-characters!!', store })
 *   await exchange(engine, undefined, () => {})
 *   expect(calls).toEqual({})
 * })
 * ```
 */
export interface CountingStore {
  /** The wrapped store: pass it to the engine or the adapter. */
  store: SessionStore
  /** Calls so far, by method; the object stays the same across {@link CountingStore.reset}. */
  readonly calls: StoreCallCounts
  /** Forgets the calls counted so far (after a test's setup, say). */
  reset(): void
}

/**
 * Wraps `store` (a fresh `MemoryStore` by default) so that each call is counted by method
 * before it reaches the store: for tests of how many store calls a request costs.
 *
 * The wrapper has exactly the optional methods of the wrapped store (`listByUser`,
 * `destroyByUser`, `prune`, `lock`, `unlock`, `close`), so capability detection by presence
 * sees the same store.
 */
export function countingStore(store: SessionStore = new MemoryStore()): CountingStore {
  const calls: StoreCallCounts = {}
  return {
    store: wrapStore(store, (method, call) => {
      calls[method] = (calls[method] ?? 0) + 1
      return call()
    }),
    calls,
    reset() {
      for (const method of Object.keys(calls) as StoreMethod[]) delete calls[method]
    },
  }
}
