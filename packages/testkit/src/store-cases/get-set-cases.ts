import type { StoredSession } from '@tessera/core'
import { expect } from 'vitest'
import { randomKey, randomUserId } from '../random-ids.js'
import { storedRecord } from '../test-helpers/stored-record.js'
import type { StoreCase } from './case-helpers.js'
import {
  CONCURRENT_WRITERS,
  concurrentWrites,
  expectAbsent,
  expectStored,
  farFuture,
  soon,
  waitPastExpiry,
} from './case-helpers.js'

/** Conformance cases: get and set, and the conditional set. */
export const getAndSetCases: readonly StoreCase[] = [
  {
    group: 'get and set',
    name: 'round-trips payload, version, expiresAt and userId',
    async run(store) {
      const withUser = storedRecord({ version: 7, userId: randomUserId() })
      const withNullUser = storedRecord({ version: 1, userId: null })
      const withoutUser: StoredSession = { payload: '{"a":1}', version: 3, expiresAt: farFuture() }
      const keys = [randomKey(), randomKey(), randomKey()] as const
      expect(await store.set(keys[0], withUser, null)).toBe(true)
      expect(await store.set(keys[1], withNullUser, null)).toBe(true)
      expect(await store.set(keys[2], withoutUser, null)).toBe(true)
      await expectStored(store, keys[0], withUser)
      await expectStored(store, keys[1], withNullUser)
      await expectStored(store, keys[2], withoutUser)
    },
  },
  {
    group: 'get and set',
    name: 'get of a missing key returns null',
    async run(store) {
      await expectAbsent(store, randomKey(), 'a key never written')
    },
  },
  {
    group: 'get and set',
    name: 'returns copies: mutating a written or returned record does not change the stored one',
    async run(store) {
      const key = randomKey()
      const original = storedRecord({ userId: randomUserId() })
      const written = { ...original }
      expect(await store.set(key, written, null)).toBe(true)
      written.payload = 'mutated after set'
      written.version = 99
      written.userId = 'someone-else'
      const got = await store.get(key)
      expect(got).not.toBeNull()
      if (got) {
        got.payload = 'mutated after get'
        got.version = 98
        got.expiresAt = 0
      }
      await expectStored(store, key, original)
    },
  },

  // ── conditional set ───────────────────────────────────────────────────────────────────
  {
    group: 'conditional set',
    name: 'create-only (expected null) succeeds once, then fails and keeps the first record',
    async run(store) {
      const key = randomKey()
      const first = storedRecord()
      expect(await store.set(key, first, null)).toBe(true)
      expect(await store.set(key, storedRecord(), null)).toBe(false)
      await expectStored(store, key, first)
    },
  },
  {
    group: 'conditional set',
    name: 'writes when the expected version matches the stored one',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord({ version: 1 }), null)).toBe(true)
      const second = storedRecord({ version: 2, userId: randomUserId() })
      expect(await store.set(key, second, 1)).toBe(true)
      await expectStored(store, key, second)
      const third = storedRecord({ version: 3 })
      expect(await store.set(key, third, 2)).toBe(true)
      await expectStored(store, key, third)
    },
  },
  {
    group: 'conditional set',
    name: 'refuses a wrong expected version and leaves the record unchanged',
    async run(store) {
      const key = randomKey()
      const stored = storedRecord({ version: 5, userId: randomUserId() })
      expect(await store.set(key, stored, null)).toBe(true)
      expect(await store.set(key, storedRecord({ version: 6 }), 4), 'older expected version').toBe(
        false,
      )
      expect(await store.set(key, storedRecord({ version: 7 }), 6), 'newer expected version').toBe(
        false,
      )
      expect(await store.set(key, storedRecord({ version: 1 }), 0), 'expected 0').toBe(false)
      await expectStored(store, key, stored)
    },
  },
  {
    group: 'conditional set',
    name: 'never overwrites a newer version with a stale write',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord({ version: 1 }), null)).toBe(true)
      expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(true)
      const newest = storedRecord({ version: 3 })
      expect(await store.set(key, newest, 2)).toBe(true)
      // Writers that read version 1 or 2 lost the race; none of them may land.
      expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(false)
      expect(await store.set(key, storedRecord({ version: 3 }), 2)).toBe(false)
      expect(await store.set(key, storedRecord({ version: 1 }), null)).toBe(false)
      await expectStored(store, key, newest)
    },
  },
  {
    group: 'conditional set',
    name: 'a versioned write to a missing key fails and does not create it',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(false)
      await expectAbsent(store, key, 'a refused write must not create the record')
      // Nor after the record existed and was destroyed (no resurrection).
      expect(await store.set(key, storedRecord({ version: 1 }), null)).toBe(true)
      await store.destroy(key)
      expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(false)
      await expectAbsent(store, key, 'a destroyed record must not come back')
    },
  },
  {
    group: 'conditional set',
    name: 'an expired record counts as absent: create-only succeeds, a versioned write fails',
    async run(store) {
      const createKey = randomKey()
      const versionKey = randomKey()
      expect(
        await store.set(createKey, storedRecord({ version: 4, expiresAt: soon() }), null),
      ).toBe(true)
      expect(
        await store.set(versionKey, storedRecord({ version: 4, expiresAt: soon() }), null),
      ).toBe(true)
      await waitPastExpiry()
      const fresh = storedRecord({ version: 1 })
      expect(await store.set(createKey, fresh, null), 'create-only over an expired record').toBe(
        true,
      )
      await expectStored(store, createKey, fresh)
      expect(
        await store.set(versionKey, storedRecord({ version: 5 }), 4),
        'a versioned write over an expired record',
      ).toBe(false)
      await expectAbsent(store, versionKey, 'an expired record must not be revived by a write')
    },
  },
  {
    group: 'conditional set',
    name: `${CONCURRENT_WRITERS} concurrent create-only writes: exactly one wins`,
    timeout: 30_000,
    async run(store) {
      await concurrentWrites(store, randomKey(), null, 1)
    },
  },
  {
    group: 'conditional set',
    name: `${CONCURRENT_WRITERS} concurrent writes of one expected version: exactly one wins and its record is stored`,
    timeout: 30_000,
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, storedRecord({ version: 1 }), null)).toBe(true)
      await concurrentWrites(store, key, 1, 2)
    },
  },
]
