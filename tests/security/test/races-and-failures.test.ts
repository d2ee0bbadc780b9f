import { randomUUID } from 'node:crypto'
import { CookieJar } from '@tessera/adapter-suite'
import { MemoryStore, type SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { sleep } from '../src/concurrency.js'
import {
  cookieOf,
  exchange,
  isFreshSession,
  readSession,
  type SessionView,
} from '../src/http-client.js'
import { sessionCookiesOf, storeKeyOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Checks 21–23: concurrent requests to one session, a write racing a logout, and handlers
// that fail after writing.

const fixtures = await openStoreFixtures()

/** True when the response sets no session cookie other than a deletion. */
const issuesNoSession = (response: Response): boolean =>
  sessionCookiesOf(response).every(
    (cookie) => cookie.value === '' || cookie.attributes.get('max-age') === '0',
  )

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.concurrentWrites, async () => {
    const app = await c.start()
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=base&value=0', { jar })
    const cookie = cookieOf(jar)
    const writes = Array.from({ length: 20 }, (_, i) =>
      exchange(app.url, `/set?key=k${i}&value=v${i}&delay=30`, { cookie }),
    )
    const updates = Array.from({ length: 30 }, () =>
      exchange(app.url, '/inc?key=counter', { cookie }),
    )
    const results = await Promise.all([...writes, ...updates])
    expect(results.map((r) => r.status).filter((status) => status !== 200)).toEqual([])
    const expected: Record<string, unknown> = { base: '0', counter: 30 }
    for (let i = 0; i < 20; i++) expected[`k${i}`] = `v${i}`
    expect((await readSession(app.url, { cookie })).data).toEqual(expected)
  })

  check(c, CHECKS.concurrentRead, async () => {
    const app = await c.start()
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=a&value=1', { jar })
    const slowRead = exchange<SessionView>(app.url, '/read?delay=500', { cookie: cookieOf(jar) })
    await sleep(150) // the read has loaded the session and is waiting
    const write = await exchange(app.url, '/set?key=b&value=2', { jar })
    expect(write.status).toBe(200)
    const read = await slowRead
    expect(read.status).toBe(200)
    expect(read.body.data, 'the read saw the session as it was').toEqual({ a: '1' })
    expect(read.response.headers.getSetCookie(), 'a read-only response sets no cookie').toEqual([])
    expect((await readSession(app.url, { jar })).data, 'the write survived').toEqual({
      a: '1',
      b: '2',
    })
  })

  check(c, CHECKS.resurrection, async () => {
    const store = c.newStore() as SessionStore
    const app = await c.start({ store })
    const user = `alice-${randomUUID().slice(0, 8)}`
    for (const [label, end] of [
      ['logout', (cookie: string) => exchange(app.url, '/logout', { cookie })],
      ['revocation', () => app.engine.revokeUserSessions(user)],
    ] as const) {
      const jar = new CookieJar()
      await exchange(app.url, '/set?key=cart&value=book', { jar })
      await exchange(app.url, `/login?user=${user}`, { jar })
      const cookie = cookieOf(jar)
      const slow = exchange(app.url, '/set?key=late&value=yes&delay=500', { cookie })
      await sleep(150) // the slow request has loaded the session
      await end(cookie)
      const late = await slow
      expect(late.status, label).toBe(200)
      expect(issuesNoSession(late.response), `${label}: the late write issues no session`).toBe(
        true,
      )
      expect(await store.get(storeKeyOf(cookie)), `${label}: the record stays gone`).toBeNull()
      expect(await isFreshSession(app.url, { cookie }), `${label}: the old cookie is dead`).toBe(
        true,
      )
    }
  })

  check(c, CHECKS.failedHandler, async () => {
    const store = c.newStore()
    const app = await c.start({ store })
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=a&value=1', { jar })
    await exchange(app.url, '/login?user=alice', { jar })
    const cookie = cookieOf(jar)
    for (const path of ['/boom', '/throw']) {
      const failed = await exchange(app.url, path, { jar })
      expect(failed.status, path).toBe(500)
      expect(sessionCookiesOf(failed.response), `${path}: no cookie`).toEqual([])
      expect(await readSession(app.url, { cookie }), `${path}: nothing persisted`).toMatchObject({
        userId: 'alice',
        data: { a: '1' },
      })
    }
    const sizeBefore = store instanceof MemoryStore ? store.size : 0
    for (const path of ['/boom', '/throw']) {
      const fresh = await exchange(app.url, path)
      expect(fresh.status).toBe(500)
      expect(sessionCookiesOf(fresh.response), `${path} on a new session: no cookie`).toEqual([])
    }
    if (store instanceof MemoryStore) expect(store.size, 'no record created').toBe(sizeBefore)
  })
})
