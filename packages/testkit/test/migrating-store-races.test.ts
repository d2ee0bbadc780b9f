import { createSessionEngine, MemoryStore, MigratingStore, type SessionStore } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, randomKey, randomUserId, slowStore, storedRecord } from '../src/index.js'
import { controlledStore } from './controlled-store.js'

const SECRET = 'migrating-store-races-secret-0123456789abcdef'

interface Cart {
  cart: number[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function engineOver(store: SessionStore) {
  return createSessionEngine<Cart>({ secret: SECRET, store, storeTimeout: '20s' })
}

/** A MigratingStore whose `to` a test steers; `from` and `to` are also reachable directly. */
function steered() {
  const from = new MemoryStore()
  const to = new MemoryStore()
  const steer = controlledStore(to)
  return { from, to, steer, store: new MigratingStore({ from, to: steer.store }) }
}

describe('MigratingStore: live sessions move under load, none lost', () => {
  it('30 clients, 10 concurrent appends each, all starting in `from`: every append kept', async () => {
    const CLIENTS = 30
    const APPENDS = 10
    const from = new MemoryStore()
    const to = new MemoryStore()
    // The old deployment, which created every session, and the new one, which moves them.
    const oldApp = engineOver(from)
    const newApp = engineOver(
      new MigratingStore({
        from: slowStore(from, { minMs: 0, maxMs: 3 }),
        to: slowStore(to, { minMs: 0, maxMs: 3 }),
      }),
    )
    let conflicts = 0
    newApp.on('conflict', () => conflicts++)
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const userId = randomUserId()
        const { cookie } = await exchange(oldApp, undefined, (s) => {
          s.login(userId)
          s.set('cart', [])
        })
        return { userId, cookie }
      }),
    )
    expect(from.size).toBe(CLIENTS)
    let signedOut = 0
    await Promise.all(
      clients.flatMap(({ userId, cookie }) =>
        Array.from({ length: APPENDS }, async (_, i) => {
          await sleep(Math.random() * 20)
          const { result, setCookie } = await exchange(newApp, cookie, (s) => {
            s.update('cart', (cart) => [...(cart ?? []), i])
            return s.userId
          })
          if (result !== userId || /Max-Age=0/.test(setCookie ?? '')) signedOut++
        }),
      ),
    )
    expect(signedOut, 'no request saw its session missing').toBe(0)
    expect(conflicts, 'the moves and appends did race').toBeGreaterThan(0)
    for (const { userId, cookie } of clients) {
      const { result } = await exchange(newApp, cookie, (s) => [s.userId, s.get('cart')] as const)
      expect(result[0]).toBe(userId)
      expect([...(result[1] ?? [])].sort((a, b) => a - b)).toEqual(
        Array.from({ length: APPENDS }, (_, i) => i),
      )
      expect(await to.listByUser(userId), 'one copy per session').toHaveLength(1)
    }
    expect(from.size, 'the old store is empty').toBe(0)
    expect(to.size).toBe(CLIENTS)
  }, 30_000)
})

describe('MigratingStore: a move racing a destroy, a touch, a write or another move', () => {
  for (const where of ['before', 'after'] as const) {
    it(`a destroy while the copy is on its way (${where} it lands) keeps the session gone`, async () => {
      const { from, to, steer, store } = steered()
      const key = randomKey()
      await from.set(key, storedRecord(), null)
      const held = steer.hold('set', where)
      const reading = store.get(key)
      await held.reached
      await store.destroy(key)
      held.release()
      expect(await reading, 'the read that was moving it reports it gone').toBeNull()
      expect(await store.get(key)).toBeNull()
      expect(await to.get(key)).toBeNull()
      expect(await from.get(key)).toBeNull()
    })
  }

  it('a touch that reaches `from` after the move read it is carried over', async () => {
    const { from, steer, store } = steered()
    const key = randomKey()
    await from.set(key, storedRecord(), null)
    const held = steer.hold('set', 'before')
    const reading = store.get(key)
    await held.reached // read from `from`, not yet copied: the touch finds nothing in `to`
    const later = Date.now() + 7_200_000
    await store.touch(key, later)
    held.release()
    expect((await reading)?.expiresAt).toBe(later)
    expect((await store.get(key))?.expiresAt).toBe(later)
  })

  it("a write in `to` during the move keeps its version and expiry over the move's", async () => {
    const { from, steer, store } = steered()
    const key = randomKey()
    await from.set(key, storedRecord({ version: 1 }), null)
    const held = steer.hold('set', 'after')
    const reading = store.get(key)
    await held.reached // copied to `to`, still in `from`
    const v2 = storedRecord({ version: 2, expiresAt: Date.now() + 5_400_000 })
    expect(await store.set(key, v2, 1)).toBe(true)
    await from.touch(key, Date.now() + 9_000_000) // a touch that reached only `from` so far
    held.release()
    expect((await reading)?.version, 'that read began before the write').toBe(1)
    expect(await store.get(key)).toEqual(v2)
    expect(await from.get(key)).toBeNull()
  })

  it('two reads moving one session: one copy, both see the session, `from` emptied', async () => {
    const { from, to, steer, store } = steered()
    const key = randomKey()
    const record = storedRecord({ userId: randomUserId() })
    await from.set(key, record, null)
    const held = steer.hold('set', 'before')
    const first = store.get(key)
    await held.reached
    const second = await store.get(key) // moves it while the first is held
    held.release()
    expect(second).toEqual(record)
    expect(await first, "the loser returns the winner's copy").toEqual(record)
    expect(await to.listByUser(record.userId as string)).toHaveLength(1)
    expect(await from.get(key)).toBeNull()
  })

  it('a read that missed `to` just before another read moved the session still finds it', async () => {
    const { from, steer, store } = steered()
    const key = randomKey()
    const record = storedRecord()
    await from.set(key, record, null)
    const held = steer.hold('get', 'after')
    const reading = store.get(key)
    await held.reached // `to` answered "nothing"; the answer is still on its way
    expect(await store.get(key), 'another read moves it').toEqual(record)
    held.release()
    expect(await reading, 'gone from `from` by now, but not missing').toEqual(record)
  })

  it('a read that copies only after the session moved and was destroyed: it stays gone', async () => {
    const { from, to, steer, store } = steered()
    const key = randomKey()
    await from.set(key, storedRecord(), null)
    const held = steer.hold('set', 'before')
    const late = store.get(key) // read `from`; its copy is held
    await held.reached
    expect(await store.get(key), 'another read moves it').not.toBeNull()
    await store.destroy(key)
    held.release()
    expect(await late).toBeNull()
    expect(await store.get(key)).toBeNull()
    expect(await to.get(key), 'the late copy was deleted again').toBeNull()
  })

  it('revoking a user while their session is being moved leaves nothing signed in', async () => {
    const { from, to, steer, store } = steered()
    const userId = randomUserId()
    const key = randomKey()
    await from.set(key, storedRecord({ userId }), null)
    const held = steer.hold('set', 'before')
    const reading = store.get(key)
    await held.reached
    await store.destroyByUser?.(userId)
    held.release()
    expect(await reading).toBeNull()
    expect(await store.get(key)).toBeNull()
    expect(await to.listByUser(userId)).toEqual([])
  })
})
