import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import { expect } from 'vitest'
import { base64url, randomKey } from '../random-ids.js'
import { STORED_RECORD_TTL_MS, storedRecord } from '../test-helpers/stored-record.js'

/** The optional store methods a case may need. */
export type OptionalMethod = 'listByUser' | 'destroyByUser' | 'prune' | 'lock' | 'unlock'

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
export const SHORT_TTL_MS = 150
/** How long a case waits for a {@link SHORT_TTL_MS} record to be past its expiry. */
export const PAST_EXPIRY_MS = 400
export const CONCURRENT_WRITERS = 100
export const ONE_MIB = 1024 * 1024
/** The characters the last position of a 32-byte base64url string can hold. */
export const LAST_KEY_CHARS = 'AEIMQUYcgkosw048'

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))
export const farFuture = (): number => Date.now() + STORED_RECORD_TTL_MS
export const soon = (): number => Date.now() + SHORT_TTL_MS
export const waitPastExpiry = (): Promise<void> => sleep(PAST_EXPIRY_MS)

/** The fields the contract defines; `userId` absent and `null` are the same. */
export function normalize(rec: StoredSession): StoredSession {
  return {
    payload: rec.payload,
    version: rec.version,
    expiresAt: rec.expiresAt,
    userId: rec.userId ?? null,
  }
}

export async function expectStored(store: SessionStore, key: string, expected: StoredSession) {
  const got = await store.get(key)
  expect(got, `get(${key}) should return the record`).not.toBeNull()
  expect(typeof got?.version).toBe('number')
  expect(typeof got?.expiresAt).toBe('number')
  expect(normalize(got as StoredSession)).toEqual(normalize(expected))
}

export async function expectAbsent(store: SessionStore, key: string, why: string) {
  expect(await store.get(key), why).toBeNull()
}

/** Compares long strings without printing a megabyte diff on failure. */
export function expectSameString(actual: string | undefined, expected: string, what: string) {
  if (actual === expected) return
  if (actual === undefined) expect.fail(`${what}: missing`)
  let at = 0
  while (at < actual.length && at < expected.length && actual[at] === expected[at]) at++
  expect.fail(
    `${what} differs: length ${actual.length}, expected ${expected.length}; first difference at index ${at}: ` +
      `${JSON.stringify(actual.slice(at, at + 16))} instead of ${JSON.stringify(expected.slice(at, at + 16))}`,
  )
}

export function sortedKeys(list: readonly KeyedStoredSession[]): string[] {
  return list.map((entry) => entry.key).sort()
}

export function randomText(length: number): string {
  // getRandomValues fills at most 65536 bytes per call; 3 bytes make 4 characters.
  let out = ''
  while (out.length < length) {
    const bytes = new Uint8Array(Math.min(49_152, Math.ceil(((length - out.length) * 3) / 4)))
    globalThis.crypto.getRandomValues(bytes)
    out += base64url(bytes)
  }
  return out.slice(0, length)
}

export function shuffled(chars: readonly string[]): string[] {
  const out = [...chars]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const tmp = out[i] as string
    out[i] = out[j] as string
    out[j] = tmp
  }
  return out
}

export function lastKeyChar(): string {
  return LAST_KEY_CHARS[Math.floor(Math.random() * LAST_KEY_CHARS.length)] as string
}

export function withCharAt(key: string, index: number, char: string): string {
  return key.slice(0, index) + char + key.slice(index + 1)
}

export async function concurrentWrites(
  store: SessionStore,
  key: string,
  expected: number | null,
  version: number,
): Promise<void> {
  const records = Array.from({ length: CONCURRENT_WRITERS }, (_, i) =>
    storedRecord({ payload: `writer-${i}-${randomKey()}`, version }),
  )
  const results = await Promise.all(records.map((rec) => store.set(key, rec, expected)))
  const winners = results.flatMap((won, i) => (won ? [i] : []))
  expect(winners, `exactly one of ${CONCURRENT_WRITERS} concurrent writes must win`).toHaveLength(1)
  await expectStored(store, key, records[winners[0] as number] as StoredSession)
}

export const UNICODE_PAYLOAD = [
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
