import {
  CookieStore,
  MemoryStore,
  SessionConfigError,
  type SessionEvents,
  type SessionStore,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, manualClock, SECRET, testEngine } from './helpers.js'

interface Data {
  cart: number[]
}

const MINUTE = 60_000

function rotatingEngine(
  options: { onReuse?: 'reject' | 'revoke'; revokeUser?: boolean; store?: SessionStore } = {},
) {
  const clock = manualClock()
  const store = options.store ?? new MemoryStore()
  const events: Array<{ name: string; event: unknown }> = []
  const on = Object.fromEntries(
    (['rotated', 'reuse', 'created'] as const).map((name) => [
      name,
      (event: SessionEvents[typeof name]) => events.push({ name, event }),
    ]),
  )
  const engine = testEngine<Data>({
    store,
    now: clock.now,
    rotation: {
      every: '15m',
      grace: '30s',
      onReuse: options.onReuse ?? 'reject',
      ...(options.revokeUser ? { revokeUser: true } : {}),
    },
    on,
  })
  return { engine, clock, store, events }
}

const idOf = (cookie: string | undefined) => cookie?.split('=')[1]?.split('.')[0]

describe('id rotation', () => {
  it('replaces the id after `every`; the old id leads to the session for `grace`, with the new id', async () => {
    const { engine, clock, events } = rotatingEngine()
    const first = await exchange(engine, undefined, async (s) => {
      await s.login('ada')
      s.set('cart', [1])
    })
    const early = await exchange(engine, first.cookie, (s) => s.get('cart'))
    expect(early.setCookie, 'not due yet: the id stays').toBeUndefined()
    clock.advance(16 * MINUTE)
    const rotated = await exchange(engine, first.cookie, (s) => expect(s.get('cart')).toEqual([1]))
    expect(idOf(rotated.cookie)).not.toBe(idOf(first.cookie))
    expect(events.map((e) => e.name)).toContain('rotated')
    // A request that was in flight with the old id, within the grace window.
    clock.advance(10_000)
    const straggler = await exchange(engine, first.cookie, (s) => {
      expect(s.get('cart')).toEqual([1])
      s.update('cart', (cart) => [...(cart ?? []), 2])
    })
    expect(idOf(straggler.cookie), 'it is handed the new id').toBe(idOf(rotated.cookie))
    await exchange(engine, rotated.cookie, (s) => expect(s.get('cart')).toEqual([1, 2]))
    expect(await engine.listUserSessions('ada'), 'one session, no pointer listed').toHaveLength(1)
  })

  it('after the grace window a retired id is reuse: no session, the `reuse` event; the new id still works', async () => {
    const { engine, clock, events } = rotatingEngine()
    const first = await exchange(engine, undefined, async (s) => {
      await s.login('ada')
      s.set('cart', [1])
    })
    clock.advance(16 * MINUTE)
    const rotated = await exchange(engine, first.cookie, () => {})
    clock.advance(31_000)
    const stolen = await exchange(engine, first.cookie, (s) => expect(s.isNew).toBe(true))
    expect(stolen.setCookie, 'the retired id is cleared').toMatch(/Max-Age=0/)
    expect(events.filter((e) => e.name === 'reuse')).toEqual([
      { name: 'reuse', event: expect.objectContaining({ userId: 'ada', revoked: false }) },
    ])
    await exchange(engine, rotated.cookie, (s) => expect(s.get('cart')).toEqual([1]))
    // Detected again on the next attempt: the pointer stays until the session would expire.
    await exchange(engine, first.cookie, () => {})
    expect(events.filter((e) => e.name === 'reuse')).toHaveLength(2)
  })

  it("onReuse: 'revoke' ends the session; revokeUser ends every session of the user", async () => {
    const { engine, clock } = rotatingEngine({ onReuse: 'revoke', revokeUser: true })
    const laptop = await exchange(engine, undefined, async (s) => {
      await s.login('ada')
      s.set('cart', [1])
    })
    const phone = await exchange(engine, undefined, (s) => s.login('ada'))
    clock.advance(16 * MINUTE)
    const rotated = await exchange(engine, laptop.cookie, () => {})
    clock.advance(31_000)
    await exchange(engine, laptop.cookie, () => {}) // the thief replays the old cookie
    await exchange(engine, rotated.cookie, (s) =>
      expect(s.isNew, 'the victim signs in again').toBe(true),
    )
    await exchange(engine, phone.cookie, (s) => expect(s.isNew, 'and every device').toBe(true))
    expect(await engine.listUserSessions('ada')).toEqual([])
  })

  it('concurrent requests that are all due rotate once: one successor, no lost update', async () => {
    const inner = new MemoryStore()
    // Every call waits a little, so the requests overlap.
    const slow = new Proxy(inner, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver)
        if (typeof value !== 'function') return value
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 8))
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      },
    })
    const { engine, clock, events } = rotatingEngine({ store: slow })
    const base = await exchange(engine, undefined, async (s) => {
      await s.login('bob')
      s.set('cart', [])
    })
    clock.advance(16 * MINUTE)
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        exchange(engine, base.cookie, (s) => s.update('cart', (cart) => [...(cart ?? []), i])),
      ),
    )
    const successors = new Set(answers.map((answer) => idOf(answer.cookie)))
    successors.delete(idOf(base.cookie))
    expect(successors.size, 'every response that moved on got the same successor').toBe(1)
    expect(events.filter((e) => e.name === 'rotated')).toHaveLength(1)
    expect(await engine.listUserSessions('bob'), 'one live session').toHaveLength(1)
    const next = answers.find((answer) => idOf(answer.cookie) !== idOf(base.cookie))?.cookie
    await exchange(engine, next, (s) =>
      expect([...(s.get('cart') ?? [])].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, i) => i),
      ),
    )
  })

  it('keeps no usable id at rest: the retired record holds neither data nor the new id in clear', async () => {
    const clock = manualClock()
    const records = new Map<string, string>()
    const inner = new MemoryStore()
    const spying: SessionStore = {
      get: (key) => inner.get(key),
      set: async (key, record, expected) => {
        const written = await inner.set(key, record, expected)
        if (written) records.set(key, record.payload)
        return written
      },
      touch: (key, expiresAt) => inner.touch(key, expiresAt),
      destroy: (key) => inner.destroy(key),
    }
    const engine = testEngine<Data>({ store: spying, now: clock.now, rotation: { every: '1m' } })
    // A value whose digits cannot turn up by chance in base64url ciphertext.
    const first = await exchange(engine, undefined, (s) => s.set('cart', [4242424242424]))
    clock.advance(2 * MINUTE)
    const rotated = await exchange(engine, first.cookie, () => {})
    const dump = [...records.values()].join('\n')
    expect(dump).not.toContain(idOf(rotated.cookie) as string)
    expect(dump).not.toContain(idOf(first.cookie) as string)
    const retired = [...records.values()].filter((payload) => payload.startsWith('R1.'))
    expect(retired).toHaveLength(1)
    expect(retired[0]).not.toContain('4242424242424')
  })

  it('is validated at start-up', () => {
    expect(() => testEngine({ rotation: { every: '1m', grace: '2m' } })).toThrow(SessionConfigError)
    expect(() =>
      testEngine({ store: new CookieStore({ keys: [SECRET] }), rotation: { every: '1m' } }),
    ).toThrow(/CookieStore/)
    expect(() => testEngine({ rotation: { every: '1m', revokeUser: true } })).toThrow(
      /onReuse: 'revoke'/,
    )
  })
})
