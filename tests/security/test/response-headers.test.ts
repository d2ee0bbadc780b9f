import { CookieJar } from '@tessera/adapter-suite'
import { expect } from 'vitest'
import { CHECKS } from '../src/checks.js'
import { check, describeCombinations } from '../src/combinations.js'
import { exchange, readSession } from '../src/http-client.js'
import { COOKIE_NAME, sessionCookiesOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'
import { TestClock } from '../src/test-clock.js'

// Checks 08, 12, 13, 20: what the responses say to browsers and caches.

const fixtures = await openStoreFixtures()

const varyIncludesCookie = (response: Response): boolean =>
  (response.headers.get('vary') ?? '')
    .split(',')
    .some((field) => field.trim().toLowerCase() === 'cookie')

describeCombinations(fixtures, (c) => {
  check(c, CHECKS.noStore, async () => {
    const clock = new TestClock()
    const app = await c.start({ now: clock.now })
    const jar = new CookieJar(clock.now)
    const responses: Array<[string, Response]> = []
    const run = async (path: string, options: Parameters<typeof exchange>[2] = { jar }) => {
      const result = await exchange(app.url, path, options)
      responses.push([path, result.response])
    }
    await run('/set?key=a&value=1')
    await run('/login?user=alice')
    await run('/role?role=admin')
    await run('/redirect')
    await run('/inc?key=n')
    if (c.store.serverSide) await run('/password')
    await run('/read', { cookie: 'garbage-that-is-cleared' })
    await run('/logout')
    // A cookie whose Max-Age follows the idle timeout is re-issued on a due touch.
    const rolling = await c.start({ now: clock.now, absoluteTimeout: false, touchInterval: '1m' })
    const rollingJar = new CookieJar(clock.now)
    await exchange(rolling.url, '/set?key=a&value=1', { jar: rollingJar })
    clock.advance(120_000)
    const touched = await exchange(rolling.url, '/read', { jar: rollingJar })
    responses.push(['/read (touch due)', touched.response])

    const setting = responses.filter(([, r]) => sessionCookiesOf(r).length > 0)
    // A new id, a cleared cookie, a re-issued rolling cookie; under CookieStore every write
    // reseals. A write to a stored session keeps its id: no cookie then.
    const expected = [
      '/set?key=a&value=1',
      '/login?user=alice',
      '/role?role=admin',
      ...(c.store.serverSide ? ['/password'] : ['/redirect', '/inc?key=n']),
      '/read',
      '/logout',
      '/read (touch due)',
    ]
    expect(setting.map(([path]) => path)).toEqual(expected)
    for (const [path, response] of setting) {
      expect(response.headers.get('cache-control') ?? '', `${path}`).toMatch(/\bno-store\b/)
    }
  })

  check(c, CHECKS.attributes, async () => {
    const app = await c.start({ cookie: { secure: undefined } })
    const set = await exchange(app.url, '/set?key=a&value=1')
    const [cookie] = sessionCookiesOf(set.response)
    expect(cookie, 'a Secure cookie goes out to 127.0.0.1 (a loopback host)').toBeDefined()
    const attributes = cookie!.attributes
    expect(attributes.get('secure')).toBe(true)
    expect(attributes.get('httponly')).toBe(true)
    expect(String(attributes.get('samesite')).toLowerCase()).toBe('lax')
    expect(attributes.get('path')).toBe('/')
    expect(attributes.has('domain'), 'no Domain by default').toBe(false)

    for (const host of ['localhost', `localhost:${app.port}`, `[::1]:${app.port}`]) {
      const loopback = await exchange(app.url, '/set?key=a&value=1', { headers: { host } })
      expect(sessionCookiesOf(loopback.response), `delivered to ${host}`).toHaveLength(1)
    }
    const remote = await exchange(app.url, '/set?key=a&value=1', {
      headers: { host: 'app.example' },
    })
    expect(remote.status).toBe(200)
    expect(
      sessionCookiesOf(remote.response),
      'a Secure cookie is withheld on plain HTTP to a non-loopback host',
    ).toEqual([])

    const prefixed = await c.start({ cookie: { name: '__Host-sid', secure: undefined } })
    const prefixedSet = await exchange(prefixed.url, '/set?key=a&value=1')
    const [hostCookie] = sessionCookiesOf(prefixedSet.response, '__Host-sid')
    expect(hostCookie?.attributes.get('secure')).toBe(true)
    expect(hostCookie?.attributes.get('path')).toBe('/')
    expect(hostCookie?.attributes.has('domain')).toBe(false)

    const invalid: Array<[Record<string, unknown>, string]> = [
      [{ name: '__Host-sid', secure: false }, 'cookie.secure'],
      [{ name: '__Host-sid', secure: true, domain: 'example.com' }, 'cookie.domain'],
      [{ name: '__Host-sid', secure: true, path: '/app' }, 'cookie.path'],
      [{ name: '__Secure-sid', secure: false }, 'cookie.secure'],
      [{ sameSite: 'none', secure: false }, 'cookie.sameSite'],
    ]
    for (const [cookieOptions, option] of invalid) {
      await expect(
        c.start({ cookie: cookieOptions }),
        JSON.stringify(cookieOptions),
      ).rejects.toMatchObject({
        code: 'SESSION_CONFIG_INVALID',
        option,
      })
    }
  })

  check(c, CHECKS.tooLarge, async () => {
    const app = await c.start(c.store.serverSide ? { maxSize: 4096 } : {})
    const jar = new CookieJar()
    await exchange(app.url, '/set?key=a&value=kept', { jar })
    const before = jar.get(COOKIE_NAME)
    const fits = await exchange(app.url, '/big?bytes=1000', { jar })
    expect(fits.status).toBe(200)
    for (const line of fits.response.headers.getSetCookie()) {
      expect(line.length, 'a cookie a browser keeps').toBeLessThanOrEqual(4096)
    }
    const fitted = jar.get(COOKIE_NAME)

    const tooBig = await exchange(app.url, '/big?bytes=5000', { jar })
    expect(tooBig.status, 'a clean error response').toBe(500)
    const length = tooBig.response.headers.get('content-length')
    if (length !== null) expect(Buffer.byteLength(tooBig.text)).toBe(Number(length))
    expect(tooBig.response.headers.getSetCookie(), 'no cookie on the failed response').toEqual([])
    expect(tooBig.text).not.toContain('x'.repeat(100))
    expect(
      app.errors.some((error) => (error as { code?: string }).code === 'SESSION_TOO_LARGE'),
      'the app saw a SessionTooLargeError',
    ).toBe(true)
    expect(jar.get(COOKIE_NAME)).toBe(fitted ?? before)
    const view = await readSession(app.url, { jar })
    expect(view.data.a, 'the session is as it was before the failed write').toBe('kept')
    expect(String(view.data.big).length).toBe(1000)
  })

  check(c, CHECKS.cacheHeaders, async () => {
    const app = await c.start()
    const noop = await exchange(app.url, '/noop')
    expect(noop.response.headers.getSetCookie()).toEqual([])
    const anonymousRead = await exchange(app.url, '/read')
    expect(anonymousRead.response.headers.getSetCookie(), 'reading creates nothing').toEqual([])
    expect(varyIncludesCookie(anonymousRead.response)).toBe(true)

    const jar = new CookieJar()
    await exchange(app.url, '/set?key=a&value=1', { jar })
    const cookie = jar.get(COOKIE_NAME)
    for (const [path, method] of [
      ['/noop', 'GET'],
      ['/read', 'GET'],
      ['/read', 'POST'],
      ['/set?key=a&value=1', 'POST'], // writes the value it already holds: nothing changes
    ] as const) {
      const result = await exchange(app.url, path, { jar, method })
      expect(result.status).toBe(200)
      expect(result.response.headers.getSetCookie(), `${method} ${path}`).toEqual([])
      if (path !== '/noop') expect(varyIncludesCookie(result.response), path).toBe(true)
    }
    expect(jar.get(COOKIE_NAME)).toBe(cookie)
  })
})
