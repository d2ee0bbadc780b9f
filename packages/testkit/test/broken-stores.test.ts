import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { type StoreCase, storeCases } from '../src/store-cases.js'
import { ReferenceStore } from './reference-store.js'

/**
 * Each case must catch something. A store broken in one way must fail the case written for
 * it, while the reference store passes the same case.
 */

function findCase(fragment: string): StoreCase {
  const found = storeCases.filter((c) => c.name.includes(fragment))
  if (found.length !== 1) throw new Error(`${found.length} cases match ${JSON.stringify(fragment)}`)
  return found[0] as StoreCase
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

class NonAtomicSet extends ReferenceStore {
  override async set(key: string, record: StoredSession, expected: number | null) {
    const current = await this.get(key) // read…
    await tick() // …another request writes here…
    if ((current?.version ?? null) !== expected) return false
    this.records.set(key, { ...record }) // …and this write loses it
    return true
  }
}

class ReturnsExpired extends ReferenceStore {
  override async get(key: string) {
    const rec = this.records.get(key)
    return rec ? { ...rec } : null
  }
}

class SharesReferences extends ReferenceStore {
  override async get(key: string) {
    return this.live(key) ?? null
  }
}

class TouchCreates extends ReferenceStore {
  override async touch(key: string, expiresAt: number) {
    const rec = this.records.get(key) ?? { payload: '', version: 0, expiresAt, userId: null }
    this.records.set(key, { ...rec, expiresAt })
  }
}

class TouchRevives extends ReferenceStore {
  override async touch(key: string, expiresAt: number) {
    const rec = this.records.get(key)
    if (rec) rec.expiresAt = expiresAt
  }
}

class CaseInsensitiveKeys extends ReferenceStore {
  override get(key: string) {
    return super.get(key.toLowerCase())
  }
  override set(key: string, record: StoredSession, expected: number | null) {
    return super.set(key.toLowerCase(), record, expected)
  }
}

class Truncates extends ReferenceStore {
  override set(key: string, record: StoredSession, expected: number | null) {
    return super.set(key, { ...record, payload: record.payload.slice(0, 65_535) }, expected)
  }
}

class StripsNul extends ReferenceStore {
  override set(key: string, record: StoredSession, expected: number | null) {
    return super.set(key, { ...record, payload: record.payload.replaceAll('\u0000', '') }, expected)
  }
}

class ExpiredBlocksCreate extends ReferenceStore {
  override async set(key: string, record: StoredSession, expected: number | null) {
    const current = this.records.get(key)
    if ((current?.version ?? null) !== expected) return false
    this.records.set(key, { ...record })
    return true
  }
}

class IgnoresExpectedVersion extends ReferenceStore {
  override async set(key: string, record: StoredSession, expected: number | null) {
    if (expected === null && this.live(key)) return false
    if (expected !== null && !this.live(key)) return false
    this.records.set(key, { ...record })
    return true
  }
}

class UpsertsOnVersionedWrite extends ReferenceStore {
  override async set(key: string, record: StoredSession, expected: number | null) {
    const current = this.live(key)
    if (current && current.version !== expected) return false
    this.records.set(key, { ...record })
    return true
  }
}

class StaleUserIndex extends ReferenceStore {
  readonly #index = new Map<string, KeyedStoredSession[]>()
  override async set(key: string, record: StoredSession, expected: number | null) {
    const ok = await super.set(key, record, expected)
    if (ok && record.userId) {
      this.#index.set(record.userId, [
        ...(this.#index.get(record.userId) ?? []),
        { key, ...record },
      ])
    }
    return ok
  }
  override async listByUser(userId: string) {
    return (this.#index.get(userId) ?? []).filter((e) => e.expiresAt > Date.now())
  }
}

class PrefixUserMatch extends ReferenceStore {
  override async listByUser(userId: string) {
    const out: KeyedStoredSession[] = []
    for (const [key, rec] of this.records) {
      if (rec.userId?.startsWith(userId) && rec.expiresAt > Date.now()) out.push({ key, ...rec })
    }
    return out
  }
}

class CountsAll extends ReferenceStore {
  override async destroyByUser(userId: string, exceptKey?: string) {
    await super.destroyByUser(userId, exceptKey)
    return (await this.listByUser(userId)).length + 3
  }
}

class PrunesLive extends ReferenceStore {
  override async prune() {
    const n = this.records.size
    this.records.clear()
    return n
  }
}

const broken: Array<[string, () => SessionStore, string]> = [
  ['a non-atomic set', () => new NonAtomicSet(), 'concurrent create-only writes'],
  ['a non-atomic set', () => new NonAtomicSet(), 'concurrent writes of one expected version'],
  ['get returning expired records', () => new ReturnsExpired(), 'get ignores a record'],
  ['get sharing its stored object', () => new SharesReferences(), 'returns copies'],
  ['touch creating records', () => new TouchCreates(), 'touch of a missing key'],
  ['touch reviving expired records', () => new TouchRevives(), 'touch of an expired record'],
  ['case-insensitive keys', () => new CaseInsensitiveKeys(), 'differ only in letter case'],
  ['a 64 KiB payload column', () => new Truncates(), '1 MiB payload'],
  ['NUL-stripping payloads', () => new StripsNul(), 'Unicode payload'],
  ['expired records blocking create-only', () => new ExpiredBlocksCreate(), 'counts as absent'],
  ['a set ignoring the expected version', () => new IgnoresExpectedVersion(), 'wrong expected'],
  ['a set ignoring the expected version', () => new IgnoresExpectedVersion(), 'stale write'],
  ['a versioned write creating records', () => new UpsertsOnVersionedWrite(), 'missing key fails'],
  ['an index never cleaned', () => new StaleUserIndex(), 'drops destroyed'],
  ['an index never cleaned', () => new StaleUserIndex(), 'change of userId'],
  ['user ids matched by prefix', () => new PrefixUserMatch(), 'prefixes of one another'],
  ['a wrong destroyByUser count', () => new CountsAll(), "removes all of a user's records"],
  ['prune removing live records', () => new PrunesLive(), 'prune removes expired'],
]

describe('the conformance cases catch broken stores', () => {
  for (const [flaw, make, fragment] of broken) {
    const storeCase = findCase(fragment)
    it(`${flaw} fails "${storeCase.name}"`, async () => {
      await storeCase.run(new ReferenceStore(), { isolated: true })
      await expect(storeCase.run(make(), { isolated: true })).rejects.toThrow()
    })
  }

  it('every case name is unique', () => {
    const names = storeCases.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
  })
})
