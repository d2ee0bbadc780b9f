import type { KeyedStoredSession } from '@tessera/core'
import { expect } from 'vitest'
import { randomKey, randomUserId } from '../random-ids.js'
import { storedRecord } from '../test-helpers/stored-record.js'
import type { StoreCase } from './case-helpers.js'
import {
  expectAbsent,
  expectStored,
  farFuture,
  normalize,
  soon,
  sortedKeys,
  waitPastExpiry,
} from './case-helpers.js'

/** Conformance cases: the per-user index. */
export const perUserCases: readonly StoreCase[] = [
  {
    group: 'per-user index',
    name: 'listByUser lists only the live records of that user, with their keys',
    needs: ['listByUser'],
    async run(store) {
      const alice = randomUserId()
      const bob = randomUserId()
      const a1 = { key: randomKey(), ...storedRecord({ version: 2, userId: alice }) }
      const a2 = { key: randomKey(), ...storedRecord({ version: 5, userId: alice }) }
      const aExpired = { key: randomKey(), ...storedRecord({ userId: alice, expiresAt: soon() }) }
      const b1 = { key: randomKey(), ...storedRecord({ userId: bob }) }
      const anonymous = { key: randomKey(), ...storedRecord({ userId: null }) }
      for (const { key, ...rec } of [a1, a2, aExpired, b1, anonymous]) {
        expect(await store.set(key, rec, null)).toBe(true)
      }
      await waitPastExpiry()
      const listed = await store.listByUser!(alice)
      expect(sortedKeys(listed)).toEqual([a1.key, a2.key].sort())
      for (const expected of [a1, a2]) {
        const entry = listed.find((e) => e.key === expected.key) as KeyedStoredSession
        expect({ key: entry.key, ...normalize(entry) }).toEqual({
          key: expected.key,
          ...normalize(expected),
        })
      }
      expect(sortedKeys(await store.listByUser!(bob))).toEqual([b1.key])
      expect(await store.listByUser!(randomUserId()), 'a user without sessions').toEqual([])
    },
  },
  {
    group: 'per-user index',
    name: 'listByUser follows a change of userId, and a touch',
    needs: ['listByUser'],
    async run(store) {
      const alice = randomUserId()
      const bob = randomUserId()
      const key = randomKey()
      expect(await store.set(key, storedRecord({ version: 1, userId: alice }), null)).toBe(true)
      expect(sortedKeys(await store.listByUser!(alice))).toEqual([key])
      expect(await store.set(key, storedRecord({ version: 2, userId: bob }), 1)).toBe(true)
      expect(await store.listByUser!(alice), 'moved away from alice').toEqual([])
      expect(sortedKeys(await store.listByUser!(bob))).toEqual([key])
      const touched = farFuture() + 1000
      await store.touch(key, touched)
      expect((await store.listByUser!(bob))[0]?.expiresAt, 'touched expiry').toBe(touched)
      expect(await store.set(key, storedRecord({ version: 3, userId: null }), 2)).toBe(true)
      expect(await store.listByUser!(bob), 'signed out').toEqual([])
    },
  },
  {
    group: 'per-user index',
    name: 'listByUser drops destroyed records',
    needs: ['listByUser'],
    async run(store) {
      const alice = randomUserId()
      const gone = randomKey()
      const kept = randomKey()
      expect(await store.set(gone, storedRecord({ userId: alice }), null)).toBe(true)
      expect(await store.set(kept, storedRecord({ userId: alice }), null)).toBe(true)
      await store.destroy(gone)
      expect(sortedKeys(await store.listByUser!(alice))).toEqual([kept])
    },
  },
  {
    group: 'per-user index',
    name: 'a refused write leaves the index unchanged',
    needs: ['listByUser'],
    async run(store) {
      const alice = randomUserId()
      const mallory = randomUserId()
      const key = randomKey()
      const rec = storedRecord({ version: 3, userId: alice })
      expect(await store.set(key, rec, null)).toBe(true)
      expect(await store.set(key, storedRecord({ version: 4, userId: mallory }), 2)).toBe(false)
      expect(await store.set(randomKey(), storedRecord({ version: 2, userId: mallory }), 1)).toBe(
        false,
      )
      expect(sortedKeys(await store.listByUser!(alice))).toEqual([key])
      expect(await store.listByUser!(mallory), 'no entry from refused writes').toEqual([])
      await expectStored(store, key, rec)
    },
  },
  {
    group: 'per-user index',
    name: 'user ids that are prefixes of one another, or hold punctuation and Unicode, stay apart',
    needs: ['listByUser'],
    async run(store) {
      const base = randomUserId()
      const userIds = [
        base,
        `${base}:1`,
        `${base}*`,
        `${base}%`,
        `${base}_`,
        `${base} ü@例え.jp/🙂`,
        `${base}\\`,
      ]
      const keyOf = new Map<string, string>()
      for (const userId of userIds) {
        const key = randomKey()
        keyOf.set(userId, key)
        expect(await store.set(key, storedRecord({ userId }), null)).toBe(true)
      }
      for (const userId of userIds) {
        const listed = await store.listByUser!(userId)
        expect(sortedKeys(listed), `listByUser(${JSON.stringify(userId)})`).toEqual([
          keyOf.get(userId),
        ])
        expect(listed[0]?.userId).toBe(userId)
      }
    },
  },
  {
    group: 'per-user index',
    name: "destroyByUser removes all of a user's records and returns how many",
    needs: ['destroyByUser'],
    async run(store) {
      const alice = randomUserId()
      const bob = randomUserId()
      const aliceKeys = [randomKey(), randomKey(), randomKey()]
      const bobKey = randomKey()
      const anonymousKey = randomKey()
      for (const key of aliceKeys)
        expect(await store.set(key, storedRecord({ userId: alice }), null)).toBe(true)
      const bobRec = storedRecord({ userId: bob })
      const anonymousRec = storedRecord()
      expect(await store.set(bobKey, bobRec, null)).toBe(true)
      expect(await store.set(anonymousKey, anonymousRec, null)).toBe(true)
      expect(await store.destroyByUser!(alice)).toBe(3)
      for (const key of aliceKeys) await expectAbsent(store, key, "a revoked user's session")
      await expectStored(store, bobKey, bobRec)
      await expectStored(store, anonymousKey, anonymousRec)
      if (store.listByUser) expect(await store.listByUser(alice)).toEqual([])
      expect(await store.destroyByUser!(alice), 'nothing left to remove').toBe(0)
    },
  },
  {
    group: 'per-user index',
    name: 'destroyByUser with exceptKey keeps that session and counts the others',
    needs: ['destroyByUser'],
    async run(store) {
      const alice = randomUserId()
      const keys = [randomKey(), randomKey(), randomKey()] as const
      const current = storedRecord({ userId: alice, version: 9 })
      expect(await store.set(keys[0], storedRecord({ userId: alice }), null)).toBe(true)
      expect(await store.set(keys[1], current, null)).toBe(true)
      expect(await store.set(keys[2], storedRecord({ userId: alice }), null)).toBe(true)
      expect(await store.destroyByUser!(alice, keys[1])).toBe(2)
      await expectAbsent(store, keys[0], 'revoked')
      await expectAbsent(store, keys[2], 'revoked')
      await expectStored(store, keys[1], current)
      if (store.listByUser) expect(sortedKeys(await store.listByUser(alice))).toEqual([keys[1]])
      expect(await store.destroyByUser!(alice, keys[1]), 'only the kept one is left').toBe(0)
    },
  },
  {
    group: 'per-user index',
    name: 'destroyByUser of a user without sessions returns 0',
    needs: ['destroyByUser'],
    async run(store) {
      const key = randomKey()
      const rec = storedRecord({ userId: randomUserId() })
      expect(await store.set(key, rec, null)).toBe(true)
      expect(await store.destroyByUser!(randomUserId())).toBe(0)
      expect(await store.destroyByUser!(randomUserId(), key)).toBe(0)
      await expectStored(store, key, rec)
    },
  },
]
