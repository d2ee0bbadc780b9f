import { CookieJar, send } from '@tessera/adapter-suite'
import { afterEach, describe, expect, it } from 'vitest'
import { disableUser, app as sessionsApp } from '../../../examples/express/active-sessions.js'
import { app as fullApp } from '../../../examples/express/app.js'
import { app as csrfApp } from '../../../examples/express/csrf.js'
import { app as passportApp } from '../../../examples/express/passport.js'
import { app as quickStart } from '../../../examples/express/quick-start.js'
import { app as tourApp } from '../../../examples/express/session-api.js'
import '../../../examples/express/session-data.js'
import { csrfTokenOf, form, listen, type Served } from '../src/serve.js'

// Each Express example the READMEs and the site quote, served on 127.0.0.1 and used the way a
// browser would (examples/express/redis-cart.ts, which needs Redis, is in examples-stores).

let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})
const serve = async (app: Parameters<typeof listen>[0]) => {
  served = await listen(app)
  return served.url
}

describe('examples/express', () => {
  it('quick-start.ts counts visits per browser', async () => {
    const url = await serve(quickStart)
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).text()).toBe('You have been here 1 times')
    expect(await (await send(url, '/', { jar })).text()).toBe('You have been here 2 times')
    expect(await (await send(url, '/')).text()).toBe('You have been here 1 times')
  })

  it('session-api.ts: nested mutation, update, flash, login and the session list', async () => {
    const url = await serve(tourApp)
    const jar = new CookieJar()
    const response = await send(url, '/tour', { method: 'POST', jar })
    expect(await response.json()).toEqual({ cart: ['apple', 'pear'], flash: ['Saved.'] })
    const sessions = (await (await send(url, '/sessions', { jar })).json()) as unknown[]
    expect(sessions).toHaveLength(1)
  })

  it('csrf.ts refuses a POST without the token and accepts the form field', async () => {
    const url = await serve(csrfApp)
    const jar = new CookieJar()
    const token = csrfTokenOf(await (await send(url, '/profile', { jar })).text())
    expect((await send(url, '/profile', { method: 'POST', jar, ...form({}) })).status).toBe(403)
    const saved = await send(url, '/profile', { method: 'POST', jar, ...form({ _csrf: token }) })
    expect(saved.status).toBe(200)
    expect(await saved.text()).toBe('Saved.')
  })

  it('passport.ts signs in with passport-local, refuses a wrong password, signs out', async () => {
    const url = await serve(passportApp)
    const jar = new CookieJar()
    const wrong = await send(url, '/login', {
      method: 'POST',
      jar,
      ...form({ username: 'alice', password: 'nope' }),
    })
    expect(wrong.headers.get('location')).toBe('/login')
    const login = await send(url, '/login', {
      method: 'POST',
      jar,
      ...form({ username: 'alice', password: 'wonderland' }),
    })
    expect(login.headers.get('location')).toBe('/')
    expect(await (await send(url, '/', { jar })).text()).toBe('Signed in as Alice')
    expect((await send(url, '/logout', { method: 'POST', jar })).headers.get('location')).toBe('/')
    expect(await (await send(url, '/', { jar })).text()).toBe('Signed out')
  })

  it('app.ts (getting started): CSRF, a failed login, login with flash, logout', async () => {
    const url = await serve(fullApp)
    const jar = new CookieJar()
    const home = await (await send(url, '/', { jar })).text()
    expect(home).toContain('Visits: 1')
    expect(home).toContain('action="/login"')
    const credentials = { name: 'alice', password: 'wonderland' }
    const forged = await send(url, '/login', { method: 'POST', jar, ...form(credentials) })
    expect(forged.status).toBe(403)

    const token = csrfTokenOf(home)
    const failed = { name: 'alice', password: 'guess', _csrf: token }
    await send(url, '/login', { method: 'POST', jar, ...form(failed) })
    expect(await (await send(url, '/', { jar })).text()).toContain('Wrong name or password.')

    const before = jar.header()
    const login = await send(url, '/login', {
      method: 'POST',
      jar,
      ...form({ ...credentials, _csrf: token }),
    })
    expect(login.headers.get('location')).toBe('/')
    expect(jar.header(), 'login issues a new session id').not.toBe(before)
    const signedIn = await (await send(url, '/', { jar })).text()
    expect(signedIn).toContain('Welcome, Alice.')
    expect(signedIn).toContain('Signed in as Alice.')
    expect(signedIn).toContain('Visits: 3')
    const again = await (await send(url, '/', { jar })).text()
    expect(again, 'a flash message shows once').not.toContain('Welcome')

    const logout = { _csrf: csrfTokenOf(again) }
    await send(url, '/logout', { method: 'POST', jar, ...form(logout) })
    const signedOut = await (await send(url, '/', { jar })).text()
    expect(signedOut).toContain('action="/login"')
    expect(signedOut).toContain('Visits: 1')
  })

  it('active-sessions.ts lists, revokes, signs out others and disables a user', async () => {
    const url = await serve(sessionsApp)
    const alice = { name: 'alice', password: 'wonderland' }
    const laptop = new CookieJar()
    const phone = new CookieJar()
    await send(url, '/login', { method: 'POST', jar: laptop, ...form(alice) })
    await send(url, '/login', {
      method: 'POST',
      jar: phone,
      headers: { 'user-agent': 'phone', ...form(alice).headers },
      body: form(alice).body,
    })
    type Listed = Array<{ handle: string; userAgent: string | null; current: boolean }>
    const listed = (await (await send(url, '/sessions', { jar: laptop })).json()) as Listed
    expect(listed).toHaveLength(2)
    const other = listed.find((entry) => !entry.current)
    expect(other?.userAgent).toBe('phone')

    const revoke = await send(url, '/sessions/revoke', {
      method: 'POST',
      jar: laptop,
      ...form({ handle: other!.handle }),
    })
    expect(await revoke.json()).toEqual({ revoked: true })
    expect(await (await send(url, '/sessions', { jar: laptop })).json()).toHaveLength(1)

    await send(url, '/login', { method: 'POST', jar: phone, ...form(alice) })
    const change = await send(url, '/password', { method: 'POST', jar: laptop })
    expect(await change.json()).toEqual({ signedOut: 1 })
    expect(await disableUser('u-alice')).toBe(1)
  })
})
