import type { SessionStore } from '@tessera/core'

/**
 * What the store under test supports, and hooks around the shared cases of
 * {@link describeStore}.
 *
 * Each optional-method flag has three states, because the engine detects a capability by
 * the method's presence:
 * - `true`: the store must have the method, and its cases run (a missing method fails);
 * - `false`: the store must not have the method, and its cases are skipped;
 * - absent: the cases run when the store has the method and are skipped when it has not.
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { describeStore, type StoreCapabilities } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 * import { MyStore } from '../src/index.js'
 *
 * const capabilities: StoreCapabilities = {
 *   listByUser: true,
 *   destroyByUser: true,
 *   prune: false, // native TTL: no prune()
 *   lock: true, // exclusive sections: lock() and unlock()
 *   unlock: true,
 *   // the store talks to a shared server: remove what each test wrote
 *   cleanup: async (store) => {
 *     await (store as MyStore).flushTestData()
 *   },
 *   extraTests: (getStore) => {
 *     it('uses the configured prefix', async () => {
 *       expect((getStore() as MyStore).prefix).toBe('sess:')
 *     })
 *   },
 * }
 *
 * describeStore('MyStore', () => new MyStore({ prefix: 'sess:' }), capabilities)
 * ```
 */
export interface StoreCapabilities {
  /** `listByUser(userId)`: the per-user index. */
  listByUser?: boolean
  /** `destroyByUser(userId, exceptKey?)`: revoking a user's sessions. */
  destroyByUser?: boolean
  /** `prune()`: removing expired records, for stores without native expiry. */
  prune?: boolean
  /**
   * `lock(key, leaseMs)`: exclusive-section leases. A store has `lock` and `unlock` together
   * or neither, so declare both the same.
   */
  lock?: boolean
  /** `unlock(key, token)`: ends a lease `lock` took. */
  unlock?: boolean
  /**
   * Each `makeStore()` returns an empty store of its own (not one on a shared server), so
   * the cases may check exact counts (`prune()` returns exactly what it removed). Default
   * `false`: counts are checked as lower bounds, because other tests and runs share the data.
   */
  isolated?: boolean
  /**
   * Runs after every case with that case's store, before `store.close?.()`: drop tables,
   * flush a key prefix, delete a temp directory.
   */
  cleanup?: (store: SessionStore) => void | Promise<void>
  /**
   * Registers tests only this store has, inside the store's `describe` block. `getStore()`
   * returns the current test's fresh store (from `makeStore`), so call it inside a test.
   */
  extraTests?: (getStore: () => SessionStore) => void
}

/**
 * The flags of a store with every optional method (the per-user index, `prune`, leases), to
 * spread into its capabilities: `{ ...EVERY_OPTIONAL_METHOD, prune: false }` for a store
 * whose backend expires records itself.
 */
export const EVERY_OPTIONAL_METHOD = {
  listByUser: true,
  destroyByUser: true,
  prune: true,
  lock: true,
  unlock: true,
} as const satisfies StoreCapabilities
