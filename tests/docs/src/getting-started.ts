import { CookieJar, send } from '@tessera/adapter-suite'
import { expect } from 'vitest'
import { csrfTokenOf, form } from './serve.js'

/**
 * The flow every getting-started app (examples/<adapter>/app.ts) supports, as a browser runs
 * it: a visit, a login refused without the CSRF token, a failed login with its flash message,
 * a login that changes the session id, the welcome message shown once, and a logout.
 */
export async function gettingStarted(url: string): Promise<void> {
  const jar = new CookieJar()
  const home = await (await send(url, '/', { jar })).text()
  expect(home).toContain('Visits: 1')
  const credentials = { name: 'alice', password: 'wonderland' }
  expect((await send(url, '/login', { method: 'POST', jar, ...form(credentials) })).status).toBe(
    403,
  )
  const failed = { name: 'alice', password: 'guess', _csrf: csrfTokenOf(home) }
  await send(url, '/login', { method: 'POST', jar, ...form(failed) })
  expect(await (await send(url, '/', { jar })).text()).toContain('Wrong name or password.')
  const before = jar.header()
  const login = await send(url, '/login', {
    method: 'POST',
    jar,
    ...form({ ...credentials, _csrf: csrfTokenOf(home) }),
  })
  expect(login.status).toBe(302)
  expect(jar.header(), 'login issues a new session id').not.toBe(before)
  const signedIn = await (await send(url, '/', { jar })).text()
  expect(signedIn).toContain('Welcome, Alice.')
  expect(signedIn).toContain('Signed in as Alice.')
  const again = await (await send(url, '/', { jar })).text()
  expect(again).not.toContain('Welcome')
  await send(url, '/logout', { method: 'POST', jar, ...form({ _csrf: csrfTokenOf(again) }) })
  const signedOut = await (await send(url, '/', { jar })).text()
  expect(signedOut).toContain('action="/login"')
  expect(signedOut).toContain('Visits: 1')
}
