import { createSessionEngine, type SessionEngine, type SessionStore } from '@tessera/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { slowStore } from './slow-store.js'
import type { StoreCapabilities } from './store-capabilities.js'
import { exchange } from './test-helpers/exchange.js'

const SECRET = 'tessera-testkit-engine-cases-secret-0123456789'

interface CaseData {
  cart: number[]
  [key: string]: unknown
}

/**
 * Engine-level cases that run through the store under test. The store is wrapped so each
 * call waits a few random milliseconds: an in-process store answers so fast that commits
 * would never overlap, and a lost-update bug would pass unseen.
 */
export function describeEngineCases(
  makeStore: () => SessionStore | Promise<SessionStore>,
  capabilities: Pick<StoreCapabilities, 'cleanup'> = {},
): void {
  describe('engine through this store', () => {
    let store: SessionStore | undefined
    let engine: SessionEngine<CaseData>
    beforeEach(async () => {
      store = await makeStore()
      engine = createSessionEngine<CaseData>({
        secret: SECRET,
        store: slowStore(store, { minMs: 0, maxMs: 4 }),
        storeTimeout: '20s',
      })
    })
    afterEach(async () => {
      const current = store
      store = undefined
      if (!current) return
      try {
        await capabilities.cleanup?.(current)
      } finally {
        await current.close?.()
      }
    })

    it('100 concurrent update() appends on one session keep all 100 items', async () => {
      const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', []))
      expect(cookie).toBeDefined()
      let conflicts = 0
      engine.on('conflict', () => conflicts++)
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          exchange(engine, cookie, (s) => s.update('cart', (cart) => [...(cart ?? []), i])),
        ),
      )
      const { result: cart } = await exchange(engine, cookie, (s) => s.get('cart'))
      expect(conflicts, 'the commits never overlapped, so the case proved nothing').toBeGreaterThan(
        0,
      )
      expect(cart).toHaveLength(100)
      expect([...(cart ?? [])].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 100 }, (_, i) => i),
      )
    }, 120_000)

    it('concurrent requests that set different keys keep all of them', async () => {
      const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', []))
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => exchange(engine, cookie, (s) => s.set(`key${i}`, i))),
      )
      const { result: all } = await exchange(engine, cookie, (s) => s.all())
      for (let i = 0; i < 30; i++) expect(all[`key${i}`]).toBe(i)
      expect(all.cart).toEqual([])
    }, 60_000)

    it('JSON with constructor and __proto__ keys reads back intact', async () => {
      const json = `{"name":"Ferrari","constructor":"Scuderia","deep":${'{"a":'.repeat(100)}{"__proto__":{"admin":true}}${'}'.repeat(100)}}`
      const { cookie } = await exchange(engine, undefined, (s) => {
        s.set('car', JSON.parse(json))
        s.set('__proto__', { admin: true })
      })
      const { result } = await exchange(engine, cookie, (s) => [s.get('car'), s.get('__proto__')])
      const [car, proto] = result
      expect(JSON.stringify(car)).toBe(json)
      expect(proto).toEqual({ admin: true })
      expect(Object.prototype).not.toHaveProperty('admin')
    })

    it('concurrent logins leave exactly maxSessionsPerUser sessions (stores with listByUser)', async (context) => {
      const current = store as SessionStore
      if (typeof current.listByUser !== 'function') {
        context.skip('the store has no listByUser, so maxSessionsPerUser does not apply')
        return
      }
      const limited = createSessionEngine<CaseData>({
        secret: SECRET,
        store: slowStore(current, { minMs: 0, maxMs: 3 }),
        storeTimeout: '20s',
        maxSessionsPerUser: 2,
      })
      const userId = `racer-${Math.random().toString(36).slice(2)}`
      const logins = await Promise.all(
        Array.from({ length: 6 }, () => exchange(limited, undefined, (s) => s.login(userId))),
      )
      let signedIn = 0
      for (const { cookie } of logins) {
        if (!cookie) continue
        await exchange(limited, cookie, (s) => {
          if (s.userId === userId) signedIn++
        })
      }
      expect(signedIn).toBe(2)
      expect(await limited.listUserSessions(userId)).toHaveLength(2)
    }, 30_000)

    it('id rotation: concurrent due requests make one successor, keep every update, and a retired id is refused after grace', async () => {
      let now = Date.now()
      const rotating = createSessionEngine<CaseData>({
        secret: SECRET,
        store: slowStore(store as SessionStore, { minMs: 0, maxMs: 4 }),
        storeTimeout: '20s',
        now: () => now,
        rotation: { every: '15m', grace: '30s' },
      })
      const idOf = (cookie: string | undefined) => cookie?.split('=')[1]?.split('.')[0]
      const first = await exchange(rotating, undefined, (s) => s.set('cart', []))
      now += 16 * 60_000
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          exchange(rotating, first.cookie, (s) => s.update('cart', (cart) => [...(cart ?? []), i])),
        ),
      )
      const successors = new Set(answers.map(({ cookie }) => idOf(cookie)))
      successors.delete(idOf(first.cookie))
      expect(successors.size, 'one successor').toBe(1)
      const next = answers.find(({ cookie }) => idOf(cookie) !== idOf(first.cookie))?.cookie
      const { result: cart } = await exchange(rotating, next, (s) => s.get('cart'))
      expect([...(cart ?? [])].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 10 }, (_, i) => i),
      )
      now += 31_000
      const { result: stolen } = await exchange(rotating, first.cookie, (s) => s.isNew)
      expect(stolen, 'the retired id leads nowhere after grace').toBe(true)
    }, 60_000)

    it('a commit racing a destroy does not bring the session back', async () => {
      const { cookie } = await exchange(engine, undefined, (s) => s.set('cart', [1]))
      // Both requests load the live session; the destroy lands first, then the write.
      const writer = engine.start({ cookie })
      const destroyer = engine.start({ cookie })
      await Promise.all([writer.load(), destroyer.load()])
      writer.session.update('cart', (cart) => [...(cart ?? []), 2])
      await destroyer.session.destroy()
      await destroyer.commit()
      const headers = await writer.commit()
      const setCookie = headers.find(([name]) => name === 'set-cookie')?.[1]
      expect(setCookie, 'the old cookie must be cleared, not re-issued').toMatch(/Max-Age=0/)
      const { result: isNew } = await exchange(engine, cookie, (s) => s.isNew)
      expect(isNew).toBe(true)
    }, 30_000)
  })
}
