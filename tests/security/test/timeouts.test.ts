import { CookieJar } from '@tessera/adapter-suite'
import type { SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { cookieOf, exchange, isFreshSession, readSession } from '../src/http-client.js'
import { COOKIE_NAME, sessionCookiesOf, storeKeyOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'
import { TestClock } from '../src/test-clock.js'

// Checks 09–11: idle and absolute timeouts, enforced by the engine on every read. The engine
// and the jar run on a test clock; the stores on real time, so their own TTLs never fire.

const fixtures = await openStoreFixtures()
const MINUTE = 60_000

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.idle, async () => {
    const clock = new TestClock()
    const app = await c.start({
      now: clock.now,
      idleTimeout: '30m',
      absoluteTimeout: '7d',
      touchInterval: '5m',
    })
    const jar = new CookieJar(clock.now)
    await exchange(app.url, '/login?user=alice', { jar })
    clock.advance(29 * MINUTE)
    expect((await readSession(app.url, { jar })).userId, 'used within the idle timeout').toBe(
      'alice',
    )
    const cookie = cookieOf(jar)
    clock.advance(31 * MINUTE)
    expect(jar.get(COOKIE_NAME), "the cookie's own Max-Age (7 days) has not passed").toBe(cookie)
    expect(await isFreshSession(app.url, { cookie }), 'idle too long: refused').toBe(true)
    expect(await isFreshSession(app.url, { jar }), 'and stays refused').toBe(true)
  })

  check(c, CHECKS.absolute, async () => {
    const clock = new TestClock()
    const app = await c.start({
      now: clock.now,
      idleTimeout: '30m',
      absoluteTimeout: '2h',
      touchInterval: '1m',
    })
    const jar = new CookieJar(clock.now)
    await exchange(app.url, '/login?user=alice', { jar })
    for (let minute = 20; minute < 120; minute += 20) {
      clock.advance(20 * MINUTE)
      expect((await readSession(app.url, { jar })).userId, `in use at ${minute} min`).toBe('alice')
    }
    clock.advance(19 * MINUTE) // 119 min: still inside
    expect((await readSession(app.url, { jar })).userId).toBe('alice')
    const latest = cookieOf(jar)
    clock.advance(2 * MINUTE) // 121 min: used 2 minutes ago, but older than the absolute timeout
    expect(
      await isFreshSession(app.url, { cookie: latest }),
      'refused at the absolute timeout although in constant use',
    ).toBe(true)
    expect(jar.get(COOKIE_NAME), 'its Max-Age ended at the absolute timeout too').toBeUndefined()
  })

  check(c, CHECKS.timeoutWhateverCookie, async () => {
    const clock = new TestClock()
    const store = c.newStore()
    // A browser-session cookie: no Max-Age at all, so only the server can end it.
    const browserSession = await c.start({
      store,
      now: clock.now,
      idleTimeout: '30m',
      cookie: { persistent: false },
    })
    const jar = new CookieJar(clock.now)
    const login = await exchange(browserSession.url, '/login?user=alice', { jar })
    const [issued] = sessionCookiesOf(login.response)
    expect(issued?.attributes.has('max-age')).toBe(false)
    expect(issued?.attributes.has('expires')).toBe(false)
    const cookie = cookieOf(jar)
    clock.advance(31 * MINUTE)
    if (c.store.serverSide) {
      expect(
        await (store as SessionStore).get(storeKeyOf(cookie)),
        'the store still holds the record (its TTL runs on real time)',
      ).not.toBeNull()
    }
    expect(await isFreshSession(browserSession.url, { cookie }), 'idle: refused').toBe(true)
    if (c.store.serverSide) {
      expect(
        await (store as SessionStore).get(storeKeyOf(cookie)),
        'the engine deleted the dead record',
      ).toBeNull()
    }

    // A persistent cookie replayed after its Max-Age (a client that keeps it anyway).
    const persistent = await c.start({
      store,
      now: clock.now,
      idleTimeout: '30m',
      absoluteTimeout: '1h',
      touchInterval: '1m',
    })
    const keeper = new CookieJar(clock.now)
    const second = await exchange(persistent.url, '/login?user=bob', { jar: keeper })
    const [persistentCookie] = sessionCookiesOf(second.response)
    expect(persistentCookie?.attributes.get('max-age')).toBe('3600')
    for (const minutes of [20, 20, 19]) {
      clock.advance(minutes * MINUTE)
      expect((await readSession(persistent.url, { jar: keeper })).userId).toBe('bob')
    }
    const kept = cookieOf(keeper)
    clock.advance(2 * MINUTE)
    expect(keeper.get(COOKIE_NAME), 'a browser would have dropped it').toBeUndefined()
    expect(await isFreshSession(persistent.url, { cookie: kept }), 'replayed: refused').toBe(true)
  })
})
