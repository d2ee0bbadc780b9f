// The @example blocks of src/test-helpers/*.ts, verbatim but for their imports:
// test-helpers.test.ts checks that each example stands here, so every example is a test that runs.
import { createSessionEngine, MemoryStore } from '@tessera/core'
import { countingStore, exchange, manualClock, randomKey, storedRecord } from '@tessera/testkit'
import { expect, it } from 'vitest'

// counting-store.ts
it('a request without a session id costs no store call', async () => {
  const { store, calls } = countingStore()
  const engine = createSessionEngine({ secret: 'a-secret-of-at-least-32-characters!!', store })
  await exchange(engine, undefined, () => {})
  expect(calls).toEqual({})
})

// exchange.ts
it('reads the session id from a header in header mode', async () => {
  const engine = createSessionEngine<{ n: number }>({
    secret: 'a-secret-of-at-least-32-characters!!',
    store: new MemoryStore(),
    idFrom: { header: 'x-session-id' },
  })
  const first = await exchange(engine, undefined, (session) => session.set('n', 1))
  const id = first.header('x-session-id') as string
  await exchange(engine, undefined, (session) => expect(session.get('n')).toBe(1), {
    headers: { 'x-session-id': id },
  })
})

// exchange.ts
it('keeps a cart across requests', async () => {
  const engine = createSessionEngine<{ cart: string[] }>({
    secret: 'a-secret-of-at-least-32-characters!!',
    store: new MemoryStore(),
  })
  const first = await exchange(engine, undefined, (session) => session.set('cart', ['apple']))
  expect(first.setCookie).toMatch(/HttpOnly/)
  const next = await exchange(engine, first.cookie, (session) => session.get('cart'))
  expect(next.result).toEqual(['apple'])
})

// manual-clock.ts
it('an idle session expires after idleTimeout', async () => {
  const clock = manualClock()
  const engine = createSessionEngine({
    secret: 'a-secret-of-at-least-32-characters!!',
    store: new MemoryStore(),
    idleTimeout: '30m',
    now: clock.now,
  })
  const { cookie } = await exchange(engine, undefined, (session) => session.set('n', 1))
  clock.advance(31 * 60_000)
  await exchange(engine, cookie, (session) => expect(session.isNew).toBe(true))
})

// stored-record.ts
it('a versioned write replaces the record', async () => {
  const store = new MemoryStore()
  const key = randomKey()
  expect(await store.set(key, storedRecord({ userId: 'ada' }), null)).toBe(true)
  expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(true)
  expect((await store.get(key))?.version).toBe(2)
})
