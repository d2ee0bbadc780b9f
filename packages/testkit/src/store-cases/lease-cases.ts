import type { SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { randomKey } from '../random-ids.js'
import { storedRecord } from '../test-helpers/stored-record.js'
import type { StoreCase } from './case-helpers.js'
import {
  expectAbsent,
  expectStored,
  farFuture,
  SHORT_TTL_MS,
  sleep,
  soon,
  waitPastExpiry,
} from './case-helpers.js'

/** A lease no case outlives: a case that forgets to unlock cannot block a later one. */
const LONG_LEASE_MS = 10_000
/** Critical sections in the concurrency case, and the bound on all of them together. */
export const CONCURRENT_SECTIONS = 50
const SECTIONS_BOUND_MS = 20_000

const GROUP = 'exclusive sections (lock/unlock)'
const NEEDS = ['lock', 'unlock'] as const

/** `lock` as a case calls it: the answer must be a non-empty string or `null`. */
async function lock(store: SessionStore, key: string, leaseMs = LONG_LEASE_MS) {
  const token = await store.lock!(key, leaseMs)
  if (token !== null) {
    expect(typeof token, 'lock() resolves to a token string or null').toBe('string')
    expect(token.length, 'a token is never empty').toBeGreaterThan(0)
  }
  return token
}

async function expectHeld(store: SessionStore, key: string, why: string) {
  expect(await lock(store, key), `${why}: a second lock must be refused`).toBeNull()
}

/** Takes a lease that must be free, and returns its token. */
async function take(store: SessionStore, key: string, why: string, leaseMs = LONG_LEASE_MS) {
  const token = await lock(store, key, leaseMs)
  expect(token, `${why}: lock() should take the free lease`).not.toBeNull()
  return token as string
}

/**
 * One task of the concurrency case: retries `lock` with a small random backoff until it
 * holds the lease or the deadline passes, then holds it a few milliseconds.
 */
async function criticalSection(
  store: SessionStore,
  key: string,
  deadline: number,
  inside: { now: number; max: number; tokens: string[] },
): Promise<void> {
  for (;;) {
    const token = await lock(store, key)
    if (token !== null) {
      inside.now++
      inside.max = Math.max(inside.max, inside.now)
      inside.tokens.push(token)
      await sleep(1 + Math.random() * 3)
      // Leave before unlocking: once unlock is sent, the next holder may already be inside.
      inside.now--
      await store.unlock!(key, token)
      return
    }
    if (Date.now() > deadline) {
      throw new Error(
        `a task did not get the lease within ${SECTIONS_BOUND_MS} ms: is a lease left behind by unlock()?`,
      )
    }
    await sleep(1 + Math.random() * 9)
  }
}

/** Conformance cases: exclusive-section leases, kept apart from the session records. */
export const leaseCases: readonly StoreCase[] = [
  {
    group: GROUP,
    name: 'lock returns a token; a second lock is refused until unlock',
    needs: NEEDS,
    async run(store) {
      const key = randomKey()
      const first = await take(store, key, 'a fresh key')
      await expectHeld(store, key, 'while the first holder runs')
      await expectHeld(store, key, 'asking again')
      await store.unlock!(key, first)
      const second = await take(store, key, 'after unlock')
      expect(second, 'each lease gets a token of its own').not.toBe(first)
      await store.unlock!(key, second)
      await expect(
        store.unlock!(key, second),
        'unlocking twice is a no-op',
      ).resolves.toBeUndefined()
      await expect(
        store.unlock!(randomKey(), second),
        'unlocking a key without a lease is a no-op',
      ).resolves.toBeUndefined()
    },
  },
  {
    group: GROUP,
    name: 'unlock with a wrong token leaves the lease held',
    needs: NEEDS,
    async run(store) {
      const key = randomKey()
      const token = await take(store, key, 'a fresh key')
      await store.unlock!(key, `${token}x`)
      await store.unlock!(key, 'not-a-token')
      await store.unlock!(key, globalThis.crypto.randomUUID())
      await expectHeld(store, key, 'after unlocks with wrong tokens')
      await store.unlock!(key, token)
      await store.unlock!(key, await take(store, key, 'after the right unlock'))
    },
  },
  {
    group: GROUP,
    name: 'an expired lease is taken over, and its late unlock does not end the new one',
    needs: NEEDS,
    async run(store) {
      const key = randomKey()
      const stale = await take(store, key, 'a fresh key', SHORT_TTL_MS)
      await expectHeld(store, key, 'before the short lease ends')
      await waitPastExpiry()
      const fresh = await take(store, key, 'after the first lease expired')
      expect(fresh).not.toBe(stale)
      // The first holder, late, ends what it believes is its lease.
      await store.unlock!(key, stale)
      await expectHeld(store, key, "after the expired holder's unlock")
      await store.unlock!(key, fresh)
      await store.unlock!(key, await take(store, key, 'after the new holder unlocked'))
    },
  },
  {
    group: GROUP,
    name: 'leases on different keys are independent',
    needs: NEEDS,
    async run(store) {
      const [a, b] = [randomKey(), randomKey()]
      const tokenA = await take(store, a, 'key a')
      const tokenB = await take(store, b, 'key b, while a is held')
      expect(tokenB).not.toBe(tokenA)
      await store.unlock!(b, tokenA)
      await expectHeld(store, b, "after unlock(b) with a's token")
      await store.unlock!(a, tokenA)
      await expectHeld(store, b, 'after a was unlocked')
      await store.unlock!(a, await take(store, a, 'key a, unlocked'))
      await store.unlock!(b, tokenB)
      await store.unlock!(b, await take(store, b, 'key b, unlocked'))
    },
  },
  {
    group: GROUP,
    name: 'a lease neither creates nor changes the session under its key, and survives its writes',
    needs: NEEDS,
    async run(store) {
      const key = randomKey()
      const token = await take(store, key, 'a key without a session')
      await expectAbsent(store, key, 'a lease is not a session')
      const rec = storedRecord({ version: 1, payload: 'inside the section' })
      expect(await store.set(key, rec, null), 'create-only beside a lease').toBe(true)
      await expectStored(store, key, rec)
      const next = storedRecord({ version: 2, payload: 'written by the holder' })
      expect(await store.set(key, next, 1)).toBe(true)
      const touched = { ...next, expiresAt: farFuture() + 1000 }
      await store.touch(key, touched.expiresAt)
      await expectHeld(store, key, "after the holder's writes to the session")
      await store.unlock!(key, token)
      await expectStored(store, key, touched)
      // A lease taken and ended over an existing session leaves it as it was.
      await store.unlock!(key, await take(store, key, 'a key with a session'))
      await expectStored(store, key, touched)
      // An expired session under a held lease is still absent, and may be created again.
      const expiring = randomKey()
      expect(await store.set(expiring, storedRecord({ expiresAt: soon() }), null)).toBe(true)
      const held = await take(store, expiring, 'a key whose session is about to expire')
      await waitPastExpiry()
      await expectAbsent(store, expiring, 'an expired session, though a lease is held')
      expect(await store.set(expiring, storedRecord(), null)).toBe(true)
      await store.unlock!(expiring, held)
    },
  },
  {
    group: GROUP,
    name: 'prune leaves a live lease held and counts no lease',
    needs: [...NEEDS, 'prune'],
    async run(store, { isolated }) {
      const live = randomKey()
      const token = await take(store, live, 'a lease that outlives the prune')
      const expiredLease = randomKey()
      await take(store, expiredLease, 'a short lease', SHORT_TTL_MS)
      expect(await store.set(randomKey(), storedRecord({ expiresAt: soon() }), null)).toBe(true)
      await waitPastExpiry()
      const removed = await store.prune!()
      if (isolated) expect(removed, 'one expired record, and leases are not records').toBe(1)
      else expect(removed).toBeGreaterThanOrEqual(1)
      await expectHeld(store, live, 'after prune')
      await store.unlock!(live, token)
      await store.unlock!(expiredLease, await take(store, expiredLease, 'after prune'))
    },
  },
  {
    group: GROUP,
    name: `${CONCURRENT_SECTIONS} concurrent critical sections on one key never overlap`,
    needs: NEEDS,
    timeout: SECTIONS_BOUND_MS + 10_000,
    async run(store) {
      const key = randomKey()
      const inside = { now: 0, max: 0, tokens: [] as string[] }
      const started = Date.now()
      const deadline = started + SECTIONS_BOUND_MS
      await Promise.all(
        Array.from({ length: CONCURRENT_SECTIONS }, () =>
          criticalSection(store, key, deadline, inside),
        ),
      )
      expect(inside.max, 'at most one task inside at any time').toBe(1)
      expect(inside.tokens, 'every section ran').toHaveLength(CONCURRENT_SECTIONS)
      expect(new Set(inside.tokens).size, 'every lease had a token of its own').toBe(
        CONCURRENT_SECTIONS,
      )
      expect(Date.now() - started).toBeLessThan(SECTIONS_BOUND_MS)
      await store.unlock!(key, await take(store, key, 'after every section ended'))
    },
  },
]
