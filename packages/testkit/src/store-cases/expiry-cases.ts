import { expect } from 'vitest'
import { randomKey, randomUserId } from '../random-ids.js'
import { storedRecord } from '../test-helpers/stored-record.js'
import type { StoreCase } from './case-helpers.js'
import { expectAbsent, expectStored, farFuture, soon, waitPastExpiry } from './case-helpers.js'

/** Conformance cases: expiry, touch and destroy. */
export const expiryCases: readonly StoreCase[] = [
  {
    group: 'expiry',
    name: 'get ignores a record once its expiresAt has passed, and keeps live ones',
    async run(store) {
      const shortKey = randomKey()
      const longKey = randomKey()
      const long = storedRecord()
      expect(await store.set(shortKey, storedRecord({ expiresAt: soon() }), null)).toBe(true)
      expect(await store.set(longKey, long, null)).toBe(true)
      expect(await store.get(shortKey), 'live before its expiry').not.toBeNull()
      await waitPastExpiry()
      await expectAbsent(store, shortKey, 'get must return null once expiresAt has passed')
      await expectStored(store, longKey, long)
    },
  },

  // ── touch ─────────────────────────────────────────────────────────────────────────────
  {
    group: 'touch',
    name: 'touch moves the expiry, so the record outlives its original expiresAt',
    async run(store) {
      const key = randomKey()
      const rec = storedRecord({ version: 3, expiresAt: soon(), userId: randomUserId() })
      expect(await store.set(key, rec, null)).toBe(true)
      const extended = farFuture()
      await store.touch(key, extended)
      await waitPastExpiry()
      await expectStored(store, key, { ...rec, expiresAt: extended })
    },
  },
  {
    group: 'touch',
    name: 'touch can also bring the expiry closer',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord(), null)).toBe(true)
      await store.touch(key, soon())
      expect(await store.get(key)).not.toBeNull()
      await waitPastExpiry()
      await expectAbsent(store, key, 'the record must expire at the touched expiresAt')
    },
  },
  {
    group: 'touch',
    name: 'touch of a missing key does not create it',
    async run(store) {
      const key = randomKey()
      await store.touch(key, farFuture())
      await expectAbsent(store, key, 'touch must not create a record')
      expect(await store.set(key, storedRecord(), null), 'the key is still free').toBe(true)
    },
  },
  {
    group: 'touch',
    name: 'touch of an expired record does not revive it',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord({ expiresAt: soon() }), null)).toBe(true)
      await waitPastExpiry()
      await store.touch(key, farFuture())
      await expectAbsent(store, key, 'touch must not bring an expired record back')
    },
  },

  // ── destroy ───────────────────────────────────────────────────────────────────────────
  {
    group: 'destroy',
    name: 'destroy removes the record, and only that record',
    async run(store) {
      const key = randomKey()
      const otherKey = randomKey()
      const other = storedRecord()
      expect(await store.set(key, storedRecord(), null)).toBe(true)
      expect(await store.set(otherKey, other, null)).toBe(true)
      await store.destroy(key)
      await expectAbsent(store, key, 'a destroyed record')
      await expectStored(store, otherKey, other)
    },
  },
  {
    group: 'destroy',
    name: 'destroy is idempotent, and the key can be created again',
    async run(store) {
      const key = randomKey()
      await store.destroy(randomKey())
      expect(await store.set(key, storedRecord({ version: 4 }), null)).toBe(true)
      await store.destroy(key)
      await store.destroy(key)
      await expectAbsent(store, key, 'destroyed twice')
      const again = storedRecord({ version: 1 })
      expect(await store.set(key, again, null)).toBe(true)
      await expectStored(store, key, again)
    },
  },
]
