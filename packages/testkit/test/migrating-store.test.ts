import {
  createSessionEngine,
  MemoryStore,
  MigratingStore,
  SessionConfigError,
  type SessionStore,
  SessionStoreConfigError,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import {
  describeStore,
  exchange,
  randomKey,
  randomUserId,
  slowStore,
  storedRecord,
} from '../src/index.js'
import { wrapStore } from '../src/test-helpers/wrap-store.js'
import { MinimalStore, ReferenceStore } from './reference-store.js'

const SECRET = 'migrating-store-test-secret-0123456789abcdef'
const FULL = { listByUser: true, destroyByUser: true, prune: true, isolated: true } as const

/**
 * A MigratingStore whose creates land in `from`, as the old deployment (still running during
 * a rolling deploy) writes them: every session of a case then starts in `from` and is moved
 * on its first read or write through the MigratingStore.
 */
function startingInFrom(from: SessionStore, to: SessionStore): SessionStore {
  const migrating = new MigratingStore({ from, to })
  const store = wrapStore(migrating, (_method, call) => call())
  store.set = async (key, record, expected) => {
    if (expected !== null) return migrating.set(key, record, expected)
    // Create-only across both stores, as the contract wants of the MigratingStore itself.
    if ((await to.get(key)) !== null) return false
    return from.set(key, record, null)
  }
  return store
}

describeStore(
  'MigratingStore (MemoryStore to MemoryStore)',
  () => new MigratingStore({ from: new MemoryStore(), to: new MemoryStore() }),
  FULL,
)

describeStore(
  'MigratingStore (every session starts in from)',
  () => startingInFrom(new MemoryStore(), new MemoryStore()),
  FULL,
)

describeStore(
  'MigratingStore (every session starts in a slow from, moving to a slow to)',
  () =>
    startingInFrom(
      slowStore(new MemoryStore(), { minMs: 0, maxMs: 3 }),
      slowStore(new MemoryStore(), { minMs: 0, maxMs: 3 }),
    ),
  FULL,
)

describeStore(
  'MigratingStore (from without optional methods)',
  () => new MigratingStore({ from: new MinimalStore(), to: new ReferenceStore() }),
  // prune: to's. listByUser and destroyByUser would miss the sessions still in from.
  { listByUser: false, destroyByUser: false, prune: true, isolated: true },
)

function stores() {
  const from = new MemoryStore()
  const to = new MemoryStore()
  return { from, to, store: new MigratingStore({ from, to }) }
}

describe('MigratingStore moves a session on its first read', () => {
  it('copies it to `to` with its version and expiry, then deletes it from `from`', async () => {
    const { from, to, store } = stores()
    const key = randomKey()
    const record = storedRecord({ version: 7, userId: randomUserId() })
    await from.set(key, record, null)
    expect(await store.get(key)).toEqual(record)
    expect(await to.get(key), 'moved').toEqual(record)
    expect(await from.get(key), 'and gone from the old store').toBeNull()
    expect(await store.get(key), 'read from `to` from now on').toEqual(record)
  })

  it('keeps the expiry: an expired session is not moved, a live one expires on time', async () => {
    const { from, to, store } = stores()
    const [expired, live] = [randomKey(), randomKey()]
    await from.set(expired, storedRecord({ expiresAt: Date.now() + 20 }), null)
    await from.set(live, storedRecord({ expiresAt: Date.now() + 120 }), null)
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(await store.get(expired)).toBeNull()
    expect(await to.get(expired), 'nothing moved').toBeNull()
    expect(await store.get(live)).not.toBeNull()
    expect(await to.get(live)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await store.get(live), 'expired in `to` when it would have in `from`').toBeNull()
  })

  it('a conditional write to a session still in `from` moves it and wins or loses as there', async () => {
    const { from, to, store } = stores()
    const key = randomKey()
    await from.set(key, storedRecord({ version: 1 }), null)
    expect(await store.set(key, storedRecord({ version: 2 }), 3), 'wrong version').toBe(false)
    expect(await store.set(key, storedRecord({ version: 2 }), null), 'live in `from`').toBe(false)
    const v2 = storedRecord({ version: 2 })
    expect(await store.set(key, v2, 1)).toBe(true)
    expect(await to.get(key)).toEqual(v2)
    expect(await from.get(key)).toBeNull()
    expect(await store.set(key, storedRecord({ version: 2 }), 1), 'now stale').toBe(false)
  })

  it('a session destroyed while still only in `from` stays gone', async () => {
    const { from, to, store } = stores()
    const key = randomKey()
    await from.set(key, storedRecord(), null)
    await store.destroy(key)
    expect(await store.get(key)).toBeNull()
    expect(await from.get(key)).toBeNull()
    expect(await to.get(key)).toBeNull()
    expect(await store.set(key, storedRecord({ version: 2 }), 1), 'not writable either').toBe(false)
  })

  it('touch moves the expiry in whichever store holds the session', async () => {
    const { from, to, store } = stores()
    const [old, moved] = [randomKey(), randomKey()]
    await from.set(old, storedRecord(), null)
    await to.set(moved, storedRecord(), null)
    const later = Date.now() + 7_200_000
    await store.touch(old, later)
    await store.touch(moved, later)
    expect((await store.get(old))?.expiresAt).toBe(later)
    expect((await store.get(moved))?.expiresAt).toBe(later)
  })
})

describe('MigratingStore per-user features cover both stores', () => {
  it('listByUser lists sessions in both stores once; destroyByUser revokes in both', async () => {
    const { from, to, store } = stores()
    const userId = randomUserId()
    const [inFrom, inTo, current] = [randomKey(), randomKey(), randomKey()]
    await from.set(inFrom, storedRecord({ userId }), null)
    await to.set(inTo, storedRecord({ userId }), null)
    await from.set(current, storedRecord({ userId }), null)
    await store.get(current) // moved
    const listed = await store.listByUser?.(userId)
    expect(listed?.map((record) => record.key).sort()).toEqual([inFrom, inTo, current].sort())
    expect(await store.destroyByUser?.(userId, current)).toBe(2)
    expect(await store.get(inFrom)).toBeNull()
    expect(await store.get(inTo)).toBeNull()
    expect(await store.get(current)).not.toBeNull()
    expect(await from.listByUser(userId)).toEqual([])
  })

  it('through the engine: sessions the old app created are listed and revoked', async () => {
    const from = new MemoryStore()
    const oldApp = createSessionEngine({ secret: SECRET, store: from })
    const newApp = createSessionEngine({
      secret: SECRET,
      store: new MigratingStore({ from, to: new MemoryStore() }),
    })
    const userId = randomUserId()
    const first = await exchange(oldApp, undefined, (s) => s.login(userId))
    const second = await exchange(oldApp, undefined, (s) => s.login(userId))
    expect((await exchange(newApp, first.cookie, (s) => s.userId)).result, 'moved').toBe(userId)
    expect(await newApp.listUserSessions(userId)).toHaveLength(2)
    expect(await newApp.revokeUserSessions(userId)).toBe(2)
    for (const cookie of [first.cookie, second.cookie]) {
      expect((await exchange(newApp, cookie, (s) => s.userId)).result, 'signed out').toBeNull()
    }
  })
})

describe('MigratingStore capabilities, ready and close', () => {
  const withPrune = (): SessionStore => Object.assign(new MinimalStore(), { prune: async () => 3 })

  it('has listByUser and destroyByUser when both stores do; prune when either does', async () => {
    const full = new MigratingStore({ from: new MemoryStore(), to: new MemoryStore() })
    expect(typeof full.listByUser).toBe('function')
    expect(typeof full.destroyByUser).toBe('function')
    for (const [from, to] of [
      [new MinimalStore(), new MemoryStore()],
      [new MemoryStore(), new MinimalStore()],
    ] as const) {
      const half = new MigratingStore({ from, to })
      expect('listByUser' in half).toBe(false)
      expect('destroyByUser' in half).toBe(false)
      expect(typeof half.prune).toBe('function')
    }
    expect(
      'prune' in new MigratingStore({ from: new MinimalStore(), to: new MinimalStore() }),
    ).toBe(false)
    const oneSided = new MigratingStore({ from: withPrune(), to: new MinimalStore() })
    expect(await oneSided.prune?.(), "from's count").toBe(3)
    const both = new MigratingStore({ from: withPrune(), to: withPrune() })
    expect(await both.prune?.()).toBe(6)
  })

  it('ready() checks both stores; close() closes both, even when the first fails', async () => {
    const mistake = new SessionStoreConfigError('TABLE_MISSING', 'create the table')
    const broken = (): SessionStore =>
      Object.assign(new MinimalStore(), { ready: () => Promise.reject(mistake) })
    await expect(
      new MigratingStore({ from: broken(), to: new MemoryStore() }).ready(),
    ).rejects.toBe(mistake)
    await expect(
      new MigratingStore({ from: new MemoryStore(), to: broken() }).ready(),
    ).rejects.toBe(mistake)
    const closed: string[] = []
    const closing = (name: string, fails = false): SessionStore =>
      Object.assign(new MinimalStore(), {
        close: async () => {
          closed.push(name)
          if (fails) throw new Error(`${name} close failed`)
        },
      })
    await expect(
      new MigratingStore({ from: closing('from', true), to: closing('to') }).close(),
    ).rejects.toThrow('from close failed')
    expect(closed).toEqual(['from', 'to'])
  })

  it('rejects a missing store and one store in both roles', () => {
    const memory = new MemoryStore()
    expect(() => new MigratingStore({ from: memory, to: memory })).toThrow(SessionConfigError)
    expect(() => new MigratingStore({ from: {} as SessionStore, to: new MemoryStore() })).toThrow(
      /`from`/,
    )
    expect(
      () =>
        new MigratingStore({ from: new MemoryStore(), to: undefined as unknown as SessionStore }),
    ).toThrow(/`to`/)
  })
})
