import { CookieStore, MemoryStore, SessionConfigError } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, SECRET, testEngine } from './helpers.js'

interface Data {
  count: number
}

describe('session.exclusive()', () => {
  it('runs sections of one session one at a time, each seeing the last one’s write', async () => {
    const engine = testEngine<Data>({ store: new MemoryStore() })
    const first = await exchange(engine, undefined, (s) => s.set('count', 0))
    let inside = 0
    let overlaps = 0
    await Promise.all(
      Array.from({ length: 20 }, () =>
        exchange(engine, first.cookie, (s) =>
          s.exclusive(async () => {
            inside++
            if (inside > 1) overlaps++
            const count = s.get('count') ?? 0
            await new Promise((resolve) => setTimeout(resolve, 2))
            s.set('count', count + 1) // a plain read-then-set: exclusion keeps every one
            inside--
          }),
        ),
      ),
    )
    expect(overlaps).toBe(0)
    await exchange(engine, first.cookie, (s) => expect(s.get('count')).toBe(20))
  })

  it('gives up after `wait` with SessionLockedError (423), and returns the section’s value', async () => {
    const engine = testEngine<Data>({ store: new MemoryStore() })
    const first = await exchange(engine, undefined, (s) => s.set('count', 0))
    let release: () => void = () => {}
    const holding = exchange(engine, first.cookie, (s) =>
      s.exclusive(() => new Promise<void>((resolve) => (release = resolve))),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    await exchange(engine, first.cookie, async (s) => {
      await expect(s.exclusive(() => 1, { wait: '50ms' })).rejects.toMatchObject({
        code: 'SESSION_LOCKED',
        status: 423,
      })
    })
    release()
    await holding
    await exchange(engine, first.cookie, async (s) => {
      expect(await s.exclusive(() => 'done')).toBe('done')
    })
  })

  it('is refused where there are no leases: at start-up when configured, with a 501 at the call otherwise', async () => {
    const leaseless = { ...bound(new MemoryStore()) }
    expect(() => testEngine({ store: leaseless, exclusive: { wait: '1s' } })).toThrow(
      SessionConfigError,
    )
    expect(() => testEngine({ store: new CookieStore({ keys: [SECRET] }), exclusive: {} })).toThrow(
      /CookieStore/,
    )
    const engine = testEngine<Data>({ store: leaseless })
    const first = await exchange(engine, undefined, (s) => s.set('count', 1))
    await exchange(engine, first.cookie, async (s) => {
      await expect(s.exclusive(() => 1)).rejects.toMatchObject({
        code: 'SESSION_FEATURE_UNSUPPORTED',
        status: 501,
      })
    })
  })
})

/** The store's contract methods, without its leases. */
function bound(store: MemoryStore) {
  return {
    get: store.get.bind(store),
    set: store.set.bind(store),
    touch: store.touch.bind(store),
    destroy: store.destroy.bind(store),
  }
}
