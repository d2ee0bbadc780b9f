import { CookieJar } from '@tessera/adapter-suite'
import type { SessionOptions, SessionStore } from '@tessera/core'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { cookieOf, exchange, isFreshSession, readSession } from '../src/http-client.js'
import { COOKIE_NAME, idOf, sessionCookiesOf, storeKeyOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Checks 05–07: the id changes whenever privileges do, and logout ends the session for good.

const fixtures = await openStoreFixtures()

/** The option the lead adds for check 07c; typed here so the suite compiles before it exists. */
type OptionsWithClearSiteData = Partial<SessionOptions> & { clearSiteData?: boolean }

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.login, async () => {
    const app = await c.start()
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=cart&value=book', { jar })
    const anonymous = cookieOf(jar)
    const login = await exchange(app.url, '/login?user=alice', { jar })
    expect(login.status).toBe(200)
    const signedIn = cookieOf(jar)
    expect(signedIn, 'login issues a new cookie').not.toBe(anonymous)
    if (c.store.serverSide) expect(idOf(signedIn), 'a new id').not.toBe(idOf(anonymous))
    const now = await readSession(app.url, { cookie: signedIn })
    expect(now).toMatchObject({ userId: 'alice', data: { cart: 'book' } })
    const replay = await readSession(app.url, { cookie: anonymous })
    expect(replay.userId, 'the pre-login cookie is not signed in').toBeNull()
    if (c.store.serverSide) expect(replay.data, 'its record is gone').toEqual({})
  })

  check(c, CHECKS.privilege, async () => {
    const store = c.newStore() as SessionStore
    const app = await c.start({ store })
    const jar = new CookieJar()
    await exchange(app.url, '/login?user=alice', { jar })
    const user = cookieOf(jar)
    expect((await exchange(app.url, '/role?role=admin', { jar })).status).toBe(200)
    const admin = cookieOf(jar)
    expect(idOf(admin), 'the role change issues a new id').not.toBe(idOf(user))
    expect(await readSession(app.url, { cookie: admin })).toMatchObject({
      userId: 'alice',
      data: { role: 'admin' },
    })
    expect(await isFreshSession(app.url, { cookie: user }), 'the pre-role id is dead').toBe(true)
    expect(await store.get(storeKeyOf(user))).toBeNull()

    expect((await exchange(app.url, '/password', { jar })).status).toBe(200)
    const afterPassword = cookieOf(jar)
    expect(idOf(afterPassword), 'the password change issues a new id').not.toBe(idOf(admin))
    expect(await readSession(app.url, { cookie: afterPassword })).toMatchObject({
      userId: 'alice',
      data: { role: 'admin', passwordVersion: 1 },
    })
    expect(await isFreshSession(app.url, { cookie: admin }), 'the pre-change id is dead').toBe(true)
    expect(await store.get(storeKeyOf(admin))).toBeNull()
  })

  check(c, CHECKS.logoutServer, async () => {
    const store = c.newStore() as SessionStore
    const app = await c.start({ store })
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=cart&value=book', { jar })
    await exchange(app.url, '/login?user=alice', { jar })
    const signedIn = cookieOf(jar)
    expect(await store.get(storeKeyOf(signedIn))).not.toBeNull()
    expect((await exchange(app.url, '/logout', { jar })).status).toBe(200)
    expect(await store.get(storeKeyOf(signedIn)), 'the record is deleted').toBeNull()
    expect(await isFreshSession(app.url, { cookie: signedIn }), 'the old cookie is refused').toBe(
      true,
    )
    // Still refused on a later write: a refused id is never re-adopted.
    const write = await exchange(app.url, '/set?key=x&value=1', { cookie: signedIn })
    const [issued] = sessionCookiesOf(write.response)
    expect(issued && idOf(issued.value)).not.toBe(idOf(signedIn))
  })

  check(c, CHECKS.logoutCookie, async () => {
    const app = await c.start()
    const jar = new CookieJar()
    await exchange(app.url, '/login?user=alice', { jar })
    const logout = await exchange(app.url, '/logout', { jar })
    const cookies = sessionCookiesOf(logout.response)
    expect(cookies, 'one Set-Cookie for the session cookie').toHaveLength(1)
    expect(cookies[0]!.value).toBe('')
    expect(cookies[0]!.attributes.get('max-age')).toBe('0')
    expect(cookies[0]!.attributes.get('path')).toBe('/')
    expect(jar.get(COOKIE_NAME), 'a browser drops the cookie').toBeUndefined()
  })

  check(c, CHECKS.clearSiteData, async () => {
    const plain = await c.start()
    const plainJar = new CookieJar()
    await exchange(plain.url, '/login?user=alice', { jar: plainJar })
    const plainLogout = await exchange(plain.url, '/logout', { jar: plainJar })
    expect(plainLogout.response.headers.get('clear-site-data'), 'off by default').toBeNull()

    const options: OptionsWithClearSiteData = { clearSiteData: true }
    const app = await c.start(options)
    const jar = new CookieJar()
    await exchange(app.url, '/login?user=alice', { jar })
    const login = await exchange(app.url, '/read', { jar })
    expect(login.response.headers.get('clear-site-data'), 'only on logout').toBeNull()
    const logout = await exchange(app.url, '/logout', { jar })
    expect(logout.response.headers.get('clear-site-data')).toBe('"cookies"')
  })
})
