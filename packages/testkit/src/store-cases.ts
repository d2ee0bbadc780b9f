import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import { expect } from 'vitest'
import { base64url, KEY_ALPHABET, KEY_LENGTH, randomKey, randomUserId } from './random-ids.js'

/** The optional store methods a case may need. */
export type OptionalMethod = 'listByUser' | 'destroyByUser' | 'prune'

/** What a case knows about the run besides the store. */
export interface StoreCaseContext {
  /** The store is empty and private to this case, so counts are exact. */
  isolated: boolean
}

/**
 * One conformance case. The cases are plain async functions that throw (through `expect`)
 * when the store breaks the contract, so `describeStore` registers them as tests and the
 * testkit's own tests can run one against a deliberately broken store.
 */
export interface StoreCase {
  group: string
  name: string
  needs?: readonly OptionalMethod[]
  timeout?: number
  run(store: SessionStore, context: StoreCaseContext): Promise<void>
}

/** Lifetime of a record meant to expire during a case. */
const SHORT_TTL_MS = 150
/** How long a case waits for a {@link SHORT_TTL_MS} record to be past its expiry. */
const PAST_EXPIRY_MS = 400
const CONCURRENT_WRITERS = 100
const ONE_MIB = 1024 * 1024
/** The characters the last position of a 32-byte base64url string can hold. */
const LAST_KEY_CHARS = 'AEIMQUYcgkosw048'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const farFuture = (): number => Date.now() + 60 * 60_000
const soon = (): number => Date.now() + SHORT_TTL_MS
const waitPastExpiry = (): Promise<void> => sleep(PAST_EXPIRY_MS)

function record(fields: Partial<StoredSession> = {}): StoredSession {
  return {
    payload: JSON.stringify({ marker: randomKey() }),
    version: 1,
    expiresAt: farFuture(),
    userId: null,
    ...fields,
  }
}

/** The fields the contract defines; `userId` absent and `null` are the same. */
function normalize(rec: StoredSession): StoredSession {
  return {
    payload: rec.payload,
    version: rec.version,
    expiresAt: rec.expiresAt,
    userId: rec.userId ?? null,
  }
}

async function expectStored(store: SessionStore, key: string, expected: StoredSession) {
  const got = await store.get(key)
  expect(got, `get(${key}) should return the record`).not.toBeNull()
  expect(typeof got?.version).toBe('number')
  expect(typeof got?.expiresAt).toBe('number')
  expect(normalize(got as StoredSession)).toEqual(normalize(expected))
}

async function expectAbsent(store: SessionStore, key: string, why: string) {
  expect(await store.get(key), why).toBeNull()
}

/** Compares long strings without printing a megabyte diff on failure. */
function expectSameString(actual: string | undefined, expected: string, what: string) {
  if (actual === expected) return
  if (actual === undefined) expect.fail(`${what}: missing`)
  let at = 0
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) at++
  expect.fail(
    `${what} differs: length ${actual.length}, expected ${expected.length}; first difference at index ${at}: ` +
      `${JSON.stringify(actual.slice(at, at + 16))} instead of ${JSON.stringify(expected.slice(at, at + 16))}`,
  )
}

function sortedKeys(list: readonly KeyedStoredSession[]): string[] {
  return list.map((entry) => entry.key).sort()
}

function randomText(length: number): string {
  // getRandomValues fills at most 65536 bytes per call; 3 bytes make 4 characters.
  let out = ''
  while (out.length < length) {
    const bytes = new Uint8Array(Math.min(49_152, Math.ceil(((length - out.length) * 3) / 4)))
    globalThis.crypto.getRandomValues(bytes)
    out += base64url(bytes)
  }
  return out.slice(0, length)
}

function shuffled(chars: readonly string[]): string[] {
  const out = [...chars]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const tmp = out[i] as string
    out[i] = out[j] as string
    out[j] = tmp
  }
  return out
}

function lastKeyChar(): string {
  return LAST_KEY_CHARS[Math.floor(Math.random() * LAST_KEY_CHARS.length)] as string
}

function withCharAt(key: string, index: number, char: string): string {
  return key.slice(0, index) + char + key.slice(index + 1)
}

async function concurrentWrites(
  store: SessionStore,
  key: string,
  expected: number | null,
  version: number,
): Promise<void> {
  const records = Array.from({ length: CONCURRENT_WRITERS }, (_, i) =>
    record({ payload: `writer-${i}-${randomKey()}`, version }),
  )
  const results = await Promise.all(records.map((rec) => store.set(key, rec, expected)))
  const winners = results.flatMap((won, i) => (won ? [i] : []))
  expect(winners, `exactly one of ${CONCURRENT_WRITERS} concurrent writes must win`).toHaveLength(1)
  await expectStored(store, key, records[winners[0] as number] as StoredSession)
}

const UNICODE_PAYLOAD = [
  'emoji: 😀 🎉 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽',
  'CJK: 漢字 かな カナ 한국어 中文 𠜎𠜱𠝹',
  'RTL: العربية עברית ‏mixed‎ فارسی',
  'astral: 𝄞 𝒳 🀄 𓀀 \u{10FFFF}',
  'NUL: [\u0000] and controls \u0001\u001f\u007f\u0085',
  'whitespace: \t \r\n \u00a0 \u2028 \u2029 \u3000',
  'combining: é e\u0301 Å A\u030a ﬁ',
  'invisible: BOM[\uFEFF] ZWJ[\u200d] ZWSP[\u200b] U+FFFF[\uFFFF]',
  'quotes: " \' ` \\ \\u0000 $x {{x}} %s %n <script>&amp;</script>',
  'json: {"a":[1,2,{"b":null}],"c":"\\"q\\""}',
].join('\n')

/** The shared conformance cases, in the order `describeStore` registers them. */
export const storeCases: readonly StoreCase[] = [
  // ── get and set ───────────────────────────────────────────────────────────────────────
  {
    group: 'get and set',
    name: 'round-trips payload, version, expiresAt and userId',
    async run(store) {
      const withUser = record({ version: 7, userId: randomUserId() })
      const withNullUser = record({ version: 1, userId: null })
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
      const original = record({ userId: randomUserId() })
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
      const first = record()
      expect(await store.set(key, first, null)).toBe(true)
      expect(await store.set(key, record(), null)).toBe(false)
      await expectStored(store, key, first)
    },
  },
  {
    group: 'conditional set',
    name: 'writes when the expected version matches the stored one',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, record({ version: 1 }), null)).toBe(true)
      const second = record({ version: 2, userId: randomUserId() })
      expect(await store.set(key, second, 1)).toBe(true)
      await expectStored(store, key, second)
      const third = record({ version: 3 })
      expect(await store.set(key, third, 2)).toBe(true)
      await expectStored(store, key, third)
    },
  },
  {
    group: 'conditional set',
    name: 'refuses a wrong expected version and leaves the record unchanged',
    async run(store) {
      const key = randomKey()
      const stored = record({ version: 5, userId: randomUserId() })
      expect(await store.set(key, stored, null)).toBe(true)
      expect(await store.set(key, record({ version: 6 }), 4), 'older expected version').toBe(false)
      expect(await store.set(key, record({ version: 7 }), 6), 'newer expected version').toBe(false)
      expect(await store.set(key, record({ version: 1 }), 0), 'expected 0').toBe(false)
      await expectStored(store, key, stored)
    },
  },
  {
    group: 'conditional set',
    name: 'never overwrites a newer version with a stale write',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, record({ version: 1 }), null)).toBe(true)
      expect(await store.set(key, record({ version: 2 }), 1)).toBe(true)
      const newest = record({ version: 3 })
      expect(await store.set(key, newest, 2)).toBe(true)
      // Writers that read version 1 or 2 lost the race; none of them may land.
      expect(await store.set(key, record({ version: 2 }), 1)).toBe(false)
      expect(await store.set(key, record({ version: 3 }), 2)).toBe(false)
      expect(await store.set(key, record({ version: 1 }), null)).toBe(false)
      await expectStored(store, key, newest)
    },
  },
  {
    group: 'conditional set',
    name: 'a versioned write to a missing key fails and does not create it',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, record({ version: 2 }), 1)).toBe(false)
      await expectAbsent(store, key, 'a refused write must not create the record')
      // Nor after the record existed and was destroyed (no resurrection).
      expect(await store.set(key, record({ version: 1 }), null)).toBe(true)
      await store.destroy(key)
      expect(await store.set(key, record({ version: 2 }), 1)).toBe(false)
      await expectAbsent(store, key, 'a destroyed record must not come back')
    },
  },
  {
    group: 'conditional set',
    name: 'an expired record counts as absent: create-only succeeds, a versioned write fails',
    async run(store) {
      const createKey = randomKey()
      const versionKey = randomKey()
      expect(await store.set(createKey, record({ version: 4, expiresAt: soon() }), null)).toBe(true)
      expect(await store.set(versionKey, record({ version: 4, expiresAt: soon() }), null)).toBe(
        true,
      )
      await waitPastExpiry()
      const fresh = record({ version: 1 })
      expect(await store.set(createKey, fresh, null), 'create-only over an expired record').toBe(
        true,
      )
      await expectStored(store, createKey, fresh)
      expect(
        await store.set(versionKey, record({ version: 5 }), 4),
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
      expect(await store.set(key, record({ version: 1 }), null)).toBe(true)
      await concurrentWrites(store, key, 1, 2)
    },
  },

  // ── expiry ────────────────────────────────────────────────────────────────────────────
  {
    group: 'expiry',
    name: 'get ignores a record once its expiresAt has passed, and keeps live ones',
    async run(store) {
      const shortKey = randomKey()
      const longKey = randomKey()
      const long = record()
      expect(await store.set(shortKey, record({ expiresAt: soon() }), null)).toBe(true)
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
      const rec = record({ version: 3, expiresAt: soon(), userId: randomUserId() })
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
      expect(await store.set(key, record(), null)).toBe(true)
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
      expect(await store.set(key, record(), null), 'the key is still free').toBe(true)
    },
  },
  {
    group: 'touch',
    name: 'touch of an expired record does not revive it',
    async run(store) {
      const key = randomKey()
      expect(await store.set(key, record({ expiresAt: soon() }), null)).toBe(true)
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
      const other = record()
      expect(await store.set(key, record(), null)).toBe(true)
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
      expect(await store.set(key, record({ version: 4 }), null)).toBe(true)
      await store.destroy(key)
      await store.destroy(key)
      await expectAbsent(store, key, 'destroyed twice')
      const again = record({ version: 1 })
      expect(await store.set(key, again, null)).toBe(true)
      await expectStored(store, key, again)
    },
  },

  // ── per-user index ────────────────────────────────────────────────────────────────────
  {
    group: 'per-user index',
    name: 'listByUser lists only the live records of that user, with their keys',
    needs: ['listByUser'],
    async run(store) {
      const alice = randomUserId()
      const bob = randomUserId()
      const a1 = { key: randomKey(), ...record({ version: 2, userId: alice }) }
      const a2 = { key: randomKey(), ...record({ version: 5, userId: alice }) }
      const aExpired = { key: randomKey(), ...record({ userId: alice, expiresAt: soon() }) }
      const b1 = { key: randomKey(), ...record({ userId: bob }) }
      const anonymous = { key: randomKey(), ...record({ userId: null }) }
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
      expect(await store.set(key, record({ version: 1, userId: alice }), null)).toBe(true)
      expect(sortedKeys(await store.listByUser!(alice))).toEqual([key])
      expect(await store.set(key, record({ version: 2, userId: bob }), 1)).toBe(true)
      expect(await store.listByUser!(alice), 'moved away from alice').toEqual([])
      expect(sortedKeys(await store.listByUser!(bob))).toEqual([key])
      const touched = farFuture() + 1000
      await store.touch(key, touched)
      expect((await store.listByUser!(bob))[0]?.expiresAt, 'touched expiry').toBe(touched)
      expect(await store.set(key, record({ version: 3, userId: null }), 2)).toBe(true)
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
      expect(await store.set(gone, record({ userId: alice }), null)).toBe(true)
      expect(await store.set(kept, record({ userId: alice }), null)).toBe(true)
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
      const rec = record({ version: 3, userId: alice })
      expect(await store.set(key, rec, null)).toBe(true)
      expect(await store.set(key, record({ version: 4, userId: mallory }), 2)).toBe(false)
      expect(await store.set(randomKey(), record({ version: 2, userId: mallory }), 1)).toBe(false)
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
        expect(await store.set(key, record({ userId }), null)).toBe(true)
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
        expect(await store.set(key, record({ userId: alice }), null)).toBe(true)
      const bobRec = record({ userId: bob })
      const anonymousRec = record()
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
      const current = record({ userId: alice, version: 9 })
      expect(await store.set(keys[0], record({ userId: alice }), null)).toBe(true)
      expect(await store.set(keys[1], current, null)).toBe(true)
      expect(await store.set(keys[2], record({ userId: alice }), null)).toBe(true)
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
      const rec = record({ userId: randomUserId() })
      expect(await store.set(key, rec, null)).toBe(true)
      expect(await store.destroyByUser!(randomUserId())).toBe(0)
      expect(await store.destroyByUser!(randomUserId(), key)).toBe(0)
      await expectStored(store, key, rec)
    },
  },

  // ── prune ─────────────────────────────────────────────────────────────────────────────
  {
    group: 'prune',
    name: 'prune removes expired records, keeps live ones, and returns how many it removed',
    needs: ['prune'],
    async run(store, { isolated }) {
      const alice = randomUserId()
      const liveKey = randomKey()
      const liveAliceKey = randomKey()
      const live = record()
      const liveAlice = record({ userId: alice })
      for (const userId of [null, null, alice]) {
        expect(await store.set(randomKey(), record({ userId, expiresAt: soon() }), null)).toBe(true)
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
      expect(await store.set(key, record({ payload }), null)).toBe(true)
      expectSameString((await store.get(key))?.payload, payload, '1 MiB payload')
      const next = `${randomText(ONE_MIB - 1)}é` // 1 MiB of characters, one byte more in UTF-8
      expect(await store.set(key, record({ payload: next, version: 2 }), 1)).toBe(true)
      expectSameString((await store.get(key))?.payload, next, 'rewritten 1 MiB payload')
    },
  },
  {
    group: 'payloads and keys',
    name: 'a Unicode payload (emoji, CJK, RTL, astral, NUL) round-trips exactly',
    async run(store) {
      const key = randomKey()
      const payload = `${UNICODE_PAYLOAD}\n${randomKey()}`
      expect(await store.set(key, record({ payload }), null)).toBe(true)
      expectSameString((await store.get(key))?.payload, payload, 'Unicode payload')
      const empty = record({ payload: '', version: 2 })
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
        return { key, rec: record({ userId }) }
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
      const records = keys.map((key) => ({ key, rec: record() }))
      for (const { key, rec } of records) {
        expect(await store.set(key, rec, null), `create-only of ${key}`).toBe(true)
      }
      for (const { key, rec } of records) await expectStored(store, key, rec)
    },
  },
]
