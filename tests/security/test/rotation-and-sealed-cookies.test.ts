import { CookieJar } from '@tessera/adapter-suite'
import { CookieStore, type CookieStoreOptions, MemoryStore, type SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { cookieOf, exchange, isFreshSession, readSession } from '../src/http-client.js'
import { idOf, SUITE_SECRET, sessionCookiesOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Checks 24–25: rotating secrets and encryption keys; what binds a sealed cookie.

const fixtures = await openStoreFixtures()
const NEW_SECRET = 'security-suite-rotated-secret-9876543210zyxwvu'
const OLD_KEY = 'security-suite-old-encryption-key-0123456789ab'
const NEW_KEY = 'security-suite-new-encryption-key-ba9876543210'

/** The CookieStore option the lead adds for check 25b; typed here so the suite compiles before it exists. */
type CookieStoreOptionsWithRevocation = CookieStoreOptions & { revocation: { store: SessionStore } }

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.secretRotation, async () => {
    const store = c.newStore()
    const before = await c.start({ store, secret: SUITE_SECRET })
    const jar = new CookieJar()
    await exchange(before.url, '/set?key=a&value=1', { jar })
    await exchange(before.url, '/login?user=alice', { jar })
    const oldCookie = cookieOf(jar)

    const rotating = await c.start({ store, secret: [NEW_SECRET, SUITE_SECRET] })
    const read = await exchange(rotating.url, '/read', { jar })
    expect(read.body, 'the old-secret cookie is accepted').toMatchObject({
      userId: 'alice',
      data: { a: '1' },
    })
    const [reissued] = sessionCookiesOf(read.response)
    expect(reissued, 'and re-issued under the new secret').toBeDefined()
    expect(reissued!.value).not.toBe(oldCookie)
    if (c.store.serverSide) expect(idOf(reissued!.value), 'the same session').toBe(idOf(oldCookie))
    expect(read.response.headers.get('cache-control')).toMatch(/no-store/)
    const newCookie = cookieOf(jar)

    const after = await c.start({ store, secret: NEW_SECRET })
    expect(await isFreshSession(after.url, { cookie: oldCookie }), 'old secret removed').toBe(true)
    expect((await readSession(after.url, { cookie: newCookie })).userId).toBe('alice')
  })

  check(c, CHECKS.keyRotation, async () => {
    const store = c.newStore()
    const before = await c.start({ store, encryption: { keys: OLD_KEY } })
    const readOnly = new CookieJar()
    const written = new CookieJar()
    const idle = new CookieJar()
    for (const [jar, user] of [
      [readOnly, 'reader'],
      [written, 'writer'],
      [idle, 'idler'],
    ] as const) {
      await exchange(before.url, '/set?key=a&value=1', { jar })
      await exchange(before.url, `/login?user=${user}`, { jar })
    }

    const rotating = await c.start({ store, encryption: { keys: [NEW_KEY, OLD_KEY] } })
    expect((await readSession(rotating.url, { jar: readOnly })).userId).toBe('reader')
    expect((await exchange(rotating.url, '/set?key=b&value=2', { jar: written })).status).toBe(200)

    const after = await c.start({ store, encryption: { keys: NEW_KEY } })
    expect(
      await readSession(after.url, { jar: written }),
      'written under the new key: readable once the old key is gone',
    ).toMatchObject({ userId: 'writer', data: { a: '1', b: '2' } })
    expect(
      (await readSession(after.url, { jar: readOnly })).userId,
      'read under [new, old]: re-encrypted under the new key on that use',
    ).toBe('reader')
    expect(
      await isFreshSession(after.url, { jar: idle }),
      'never used since the rotation: refused once the old key is removed',
    ).toBe(true)
  })

  check(c, CHECKS.sealedName, async () => {
    const store = c.newStore()
    const appA = await c.start({ store, cookie: { name: 'app-a.sid' } })
    const appB = await c.start({ store, cookie: { name: 'app-b.sid' } })
    const api = await c.start({ store, idFrom: { header: 'x-session-id' } })
    const jar = new CookieJar()
    await exchange(appA.url, '/login?user=alice', { jar })
    const sealed = cookieOf(jar, 'app-a.sid')
    expect(
      (await readSession(appA.url, { headers: { cookie: `app-a.sid=${sealed}` } })).userId,
    ).toBe('alice')
    expect(
      await isFreshSession(appB.url, { headers: { cookie: `app-b.sid=${sealed}` } }),
      'copied under another cookie name',
    ).toBe(true)
    expect(
      await isFreshSession(api.url, { headers: { 'x-session-id': sealed } }),
      'copied into an id header',
    ).toBe(true)
    const apiLogin = await exchange(api.url, '/login?user=bob')
    const headerValue = apiLogin.response.headers.get('x-session-id')
    expect(headerValue).toBeTruthy()
    expect(
      await isFreshSession(appA.url, { headers: { cookie: `app-a.sid=${headerValue}` } }),
      'a header value copied into the cookie',
    ).toBe(true)
  })

  check(c, CHECKS.sealedRevocation, async () => {
    const options: CookieStoreOptionsWithRevocation = { revocation: { store: new MemoryStore() } }
    const app = await c.start({ store: new CookieStore(options) })
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=cart&value=book', { jar })
    await exchange(app.url, '/login?user=alice', { jar })
    const captured = cookieOf(jar)
    expect((await readSession(app.url, { cookie: captured })).userId).toBe('alice')
    expect((await exchange(app.url, '/logout', { jar })).status).toBe(200)
    expect(
      await isFreshSession(app.url, { cookie: captured }),
      'a sealed cookie replayed after logout is refused (revocation list)',
    ).toBe(true)
  })
})
