import type { SessionStore } from '@tessera/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeEngineCases } from './engine-cases.js'
import type { StoreCapabilities } from './store-capabilities.js'
import { type OptionalMethod, type StoreCase, storeCases } from './store-cases.js'

const OPTIONAL_METHODS: readonly OptionalMethod[] = [
  'listByUser',
  'destroyByUser',
  'prune',
  'lock',
  'unlock',
]

/**
 * Registers the store conformance suite in vitest: every case of the store contract
 * (round trip, conditional set, concurrent writes, expiry, touch, destroy, per-user index,
 * prune, large and Unicode payloads, every key character, exclusive-section leases), the
 * engine-level cases run through the store, and the store's own `extraTests`.
 *
 * Each case gets a fresh store from `makeStore` and closes it afterwards (`cleanup` first,
 * then `store.close?.()`). Cases use random keys and user ids, so a store on a shared server
 * can run the suite concurrently with other runs.
 *
 * @param name - the `describe` title, usually the store's class name
 * @param makeStore - returns a new store (or a new client of a shared server) for one case
 * @param capabilities - which optional methods the store has, and hooks; see {@link StoreCapabilities}
 *
 * @example
 * ```ts
 * // test/my-store.test.ts: the whole conformance run of a store
 * import { describeStore } from '@tessera/testkit'
 * import { MyStore } from '../src/index.js'
 *
 * describeStore('MyStore', () => new MyStore(), { listByUser: true, destroyByUser: true })
 * ```
 */
export function describeStore(
  name: string,
  makeStore: () => SessionStore | Promise<SessionStore>,
  capabilities: StoreCapabilities = {},
): void {
  describe(name, () => {
    let current: SessionStore | undefined
    const getStore = (): SessionStore => {
      if (!current) {
        throw new Error(
          'getStore() returns the store of the running test; call it inside a test, not while tests are being registered.',
        )
      }
      return current
    }
    const useFreshStore = (): void => {
      beforeEach(async () => {
        current = await makeStore()
      })
      afterEach(async () => {
        const store = current
        current = undefined
        if (!store) return
        try {
          await capabilities.cleanup?.(store)
        } finally {
          await store.close?.()
        }
      })
    }

    describe('store contract', () => {
      useFreshStore()

      it('has exactly the optional methods its capabilities declare', () => {
        const store = getStore()
        for (const method of OPTIONAL_METHODS) {
          const declared = capabilities[method]
          const present = typeof store[method] === 'function'
          if (declared === true) {
            expect(
              present,
              `capabilities say ${method}: true, but the store has no ${method}()`,
            ).toBe(true)
          } else if (declared === false) {
            expect(
              present,
              `capabilities say ${method}: false, but the store has ${method}(), which the engine will use untested`,
            ).toBe(false)
          }
        }
        // The engine uses leases only when both methods are there; half of the pair is a bug.
        expect(
          typeof store.lock === 'function',
          'a store has lock() and unlock() together, or neither',
        ).toBe(typeof store.unlock === 'function')
        for (const method of ['get', 'set', 'touch', 'destroy'] as const) {
          expect(typeof store[method], `${method}() is required`).toBe('function')
        }
        if (store.close !== undefined) expect(typeof store.close).toBe('function')
      })

      const groups = new Map<string, StoreCase[]>()
      for (const storeCase of storeCases) {
        const group = groups.get(storeCase.group) ?? []
        group.push(storeCase)
        groups.set(storeCase.group, group)
      }
      for (const [group, cases] of groups) {
        describe(group, () => {
          for (const storeCase of cases) registerCase(storeCase)
        })
      }
    })

    if (capabilities.extraTests) {
      describe('store-specific', () => {
        useFreshStore()
        capabilities.extraTests?.(getStore)
      })
    }

    describeEngineCases(makeStore, capabilities)

    function registerCase(storeCase: StoreCase): void {
      const needs = storeCase.needs ?? []
      const absent = needs.filter((method) => capabilities[method] === false)
      if (absent.length > 0) {
        // The reason is in the title, so a skip in the report says why.
        it.skip(`${storeCase.name} (skipped: the store declares no ${absent.join('(), ')}())`, () => {})
        return
      }
      it(
        storeCase.name,
        async (context) => {
          const store = getStore()
          for (const method of needs) {
            if (typeof store[method] === 'function') continue
            if (capabilities[method] === true) {
              throw new Error(`capabilities say ${method}: true, but the store has no ${method}()`)
            }
            context.skip(`the store has no ${method}()`)
          }
          await storeCase.run(store, { isolated: capabilities.isolated === true })
        },
        storeCase.timeout,
      )
    }
  })
}
