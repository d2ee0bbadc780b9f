import { describeStore, slowStore } from '@tessera/testkit'
import { expect, it } from 'vitest'
import { MinimalStore, ReferenceStore } from './reference-store.js'

const everything = { listByUser: true, destroyByUser: true, prune: true, isolated: true }

describeStore('ReferenceStore', () => new ReferenceStore(), {
  ...everything,
  extraTests: (getStore) => {
    it('hands extraTests the fresh store of the running test', async () => {
      const store = getStore()
      expect(store).toBeInstanceOf(ReferenceStore)
      expect(await store.prune?.()).toBe(0)
    })
  },
})

// Optional cases skip for a store without the optional methods (capabilities left out).
describeStore('MinimalStore', () => new MinimalStore())

// …and are skipped, with the absence checked, when declared false.
describeStore('MinimalStore (declared)', () => new MinimalStore(), {
  listByUser: false,
  destroyByUser: false,
  prune: false,
})

// Calls that overlap in time still satisfy the contract.
describeStore(
  'slowStore(ReferenceStore)',
  () => slowStore(new ReferenceStore(), { maxMs: 3 }),
  everything,
)
