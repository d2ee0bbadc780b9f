import { expect } from 'vitest'
import { KEY_ALPHABET, KEY_LENGTH, randomKey, randomUserId } from '../random-ids.js'
import { storedRecord } from '../test-helpers/stored-record.js'
import type { StoreCase } from './case-helpers.js'
import {
  expectAbsent,
  expectSameString,
  expectStored,
  lastKeyChar,
  ONE_MIB,
  randomText,
  shuffled,
  soon,
  sortedKeys,
  UNICODE_PAYLOAD,
  waitPastExpiry,
  withCharAt,
} from './case-helpers.js'

/** Conformance cases: prune, payloads and keys. */
export const prunePayloadCases: readonly StoreCase[] = [
  {
    group: 'prune',
    name: 'prune removes expired records, keeps live ones, and returns how many it removed',
    needs: ['prune'],
    async run(store, { isolated }) {
      const alice = randomUserId()
      const liveKey = randomKey()
      const liveAliceKey = randomKey()
      const live = storedRecord()
      const liveAlice = storedRecord({ userId: alice })
      for (const userId of [null, null, alice]) {
        expect(
          await store.set(randomKey(), storedRecord({ userId, expiresAt: soon() }), null),
        ).toBe(true)
      }
      expect(await store.set(liveKey, live, null)).toBe(true)
      expect(await store.set(liveAliceKey, liveAlice, null)).toBe(true)
      await waitPastExpiry()
      const removed = await store.prune!()
      expect(Number.isInteger(removed), 'prune() returns an integer count').toBe(true)
      if (isolated) expect(removed).toBe(3)
      else expect(removed).toBeGreaterThanOrEqual(3)
      await expectStored(store, liveKey, live)
      await expectStored(store, liveAliceKey, liveAlice)
      if (store.listByUser)
        expect(sortedKeys(await store.listByUser(alice))).toEqual([liveAliceKey])
      if (isolated) expect(await store.prune!(), 'nothing left to prune').toBe(0)
    },
  },

  // ── payloads and keys ─────────────────────────────────────────────────────────────────
  {
    group: 'payloads and keys',
    name: 'a 1 MiB payload round-trips exactly',
    timeout: 30_000,
    async run(store) {
      const key = randomKey()
      const payload = randomText(ONE_MIB)
      expect(await store.set(key, storedRecord({ payload }), null)).toBe(true)
      expectSameString((await store.get(key))?.payload, payload, '1 MiB payload')
      const next = `${randomText(ONE_MIB - 1)}é` // 1 MiB of characters, one byte more in UTF-8
      expect(await store.set(key, storedRecord({ payload: next, version: 2 }), 1)).toBe(true)
      expectSameString((await store.get(key))?.payload, next, 'rewritten 1 MiB payload')
    },
  },
  {
    group: 'payloads and keys',
    name: 'a Unicode payload (emoji, CJK, RTL, astral, NUL) round-trips exactly',
    async run(store) {
      const key = randomKey()
      const payload = `${UNICODE_PAYLOAD}\n${randomKey()}`
      expect(await store.set(key, storedRecord({ payload }), null)).toBe(true)
      expectSameString((await store.get(key))?.payload, payload, 'Unicode payload')
      const empty = storedRecord({ payload: '', version: 2 })
      expect(await store.set(key, empty, 1)).toBe(true)
      await expectStored(store, key, empty)
    },
  },
  {
    group: 'payloads and keys',
    name: 'keys using every base64url character round-trip',
    async run(store) {
      // Positions 0..41 of a key take any of the 64 characters; together these keys use all.
      const chars = shuffled([...KEY_ALPHABET])
      const keys = [
        chars.slice(0, 42).join('') + lastKeyChar(),
        chars.slice(42).join('') + randomKey().slice(0, 20) + lastKeyChar(),
        `-${randomKey().slice(1)}`,
        `_${randomKey().slice(1)}`,
        `${randomKey().slice(0, 39)}--_${lastKeyChar()}`,
      ]
      for (const char of KEY_ALPHABET) {
        expect(keys.some((key) => key.includes(char))).toBe(true)
      }
      const userId = randomUserId()
      const records = keys.map((key) => {
        expect(key).toHaveLength(KEY_LENGTH)
        return { key, rec: storedRecord({ userId }) }
      })
      for (const { key, rec } of records) expect(await store.set(key, rec, null)).toBe(true)
      for (const { key, rec } of records) await expectStored(store, key, rec)
      if (store.listByUser) {
        expect(sortedKeys(await store.listByUser(userId))).toEqual([...keys].sort())
      }
      for (const { key } of records) await store.destroy(key)
      for (const { key } of records) await expectAbsent(store, key, 'destroyed')
    },
  },
  {
    group: 'payloads and keys',
    name: 'keys that differ only in letter case, or in - and _, are different keys',
    async run(store) {
      const base = randomKey()
      const keys = [
        withCharAt(base, 5, 'a'),
        withCharAt(base, 5, 'A'),
        withCharAt(base, 5, '-'),
        withCharAt(base, 5, '_'),
      ]
      const records = keys.map((key) => ({ key, rec: storedRecord() }))
      for (const { key, rec } of records) {
        expect(await store.set(key, rec, null), `create-only of ${key}`).toBe(true)
      }
      for (const { key, rec } of records) await expectStored(store, key, rec)
    },
  },
]
