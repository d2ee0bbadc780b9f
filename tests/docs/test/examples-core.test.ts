import { CookieJar, send } from '@tessera/adapter-suite'
import { CookieStore, createSessionEngine } from '@tessera/core'
import { exchange } from '@tessera/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import { addToCart, engine, setTheme } from '../../../examples/core/concurrent-updates.js'
import { server } from '../../../examples/core/quick-start.js'
import { engine as cookieEngine, revocable } from '../../../examples/stores/cookie-store.js'
import {
  engine as memoryEngine,
  store as memoryStore,
} from '../../../examples/stores/memory-store.js'

// The engine examples of the core README and of the site's concurrency and store pages.

describe('examples/core', () => {
  afterAll(async () => {
    server.close()
    await memoryStore.close()
  })

  it('quick-start.ts: the engine behind a plain node:http server counts visits', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).text()).toBe('1 views')
    expect(await (await send(url, '/', { jar })).text()).toBe('2 views')
  })

  it('concurrent-updates.ts: 50 concurrent update() appends all survive; set() keeps the rest', async () => {
    const first = await exchange(engine, undefined, (session) => session.set('cart', []))
    const cookie = first.cookie!
    const items = Array.from({ length: 50 }, (_, i) => `item-${i}`)
    await Promise.all([...items.map((item) => addToCart(cookie, item)), setTheme(cookie, 'dark')])
    const read = await exchange(engine, cookie, (session) => session.all())
    expect([...(read.result.cart ?? [])].sort()).toEqual([...items].sort())
    expect(read.result.theme).toBe('dark')
  })
})

describe('examples/stores (no server)', () => {
  it('memory-store.ts keeps sessions in the bounded MemoryStore', async () => {
    const first = await exchange(memoryEngine, undefined, (session) => session.set('n', 1))
    const again = await exchange(memoryEngine, first.cookie, (session) => session.get('n'))
    expect(again.result).toBe(1)
  })

  it('cookie-store.ts seals the session in the cookie and opens cookies of the old key', async () => {
    const first = await exchange(cookieEngine, undefined, (session) => session.set('n', 1))
    expect(first.setCookie!.length).toBeGreaterThan(100)
    expect((await exchange(cookieEngine, first.cookie, (s) => s.get('n'))).result).toBe(1)

    // A cookie sealed before a rotation (the old key first then) still opens.
    const before = createSessionEngine({
      secret: process.env.SESSION_SECRET!,
      store: new CookieStore({ keys: [process.env.OLD_COOKIE_KEY!] }),
    })
    const old = await exchange(before, undefined, (session) => session.set('n', 2))
    expect((await exchange(cookieEngine, old.cookie, (s) => s.get('n'))).result).toBe(2)
  })

  it('cookie-store.ts: with a revocation store, a cookie replayed after logout is refused', async () => {
    const login = await exchange(revocable, undefined, (session) => session.login('u-1'))
    const replay = login.cookie
    await exchange(revocable, replay, (session) => session.logout())
    const after = await exchange(revocable, replay, (session) => session.userId)
    expect(after.result).toBeNull()
  })
})
