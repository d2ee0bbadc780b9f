import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { COOKIE, SIGNED_ID, SUITE_SECRET, type SuiteContext } from './suite-context.js'

/** The shared adapter cases: cookie. */
export function cookieCases({ start }: SuiteContext): void {
  describe('cookies', () => {
    it('sets nothing for a route that never touches the session', async () => {
      const app = await start()
      const response = await app.call('/noop')
      expect(response.status).toBe(200)
      expect(response.headers.getSetCookie()).toEqual([])
      expect(response.headers.get('vary') ?? '').not.toMatch(/cookie/i)
    })

    it("keeps the app's own headers: Vary merges, its cookies stay, Cache-Control becomes no-store", async () => {
      const app = await start()
      const response = await app.call('/with-app-headers', { method: 'POST' })
      expect(response.status).toBe(200)
      expect(response.headers.get('vary')).toBe('Accept-Encoding, Cookie')
      const cookies = response.headers.getSetCookie()
      expect(cookies.some((cookie) => cookie.startsWith('theme=dark'))).toBe(true)
      expect(cookies.some((cookie) => cookie.startsWith(`${COOKIE}=`))).toBe(true)
      // A response that sets the session cookie must not be cached.
      expect(response.headers.get('cache-control')).toBe('no-store')
    })

    it('does not create a session for a read of an empty session', async () => {
      const app = await start()
      const response = await app.call('/get?key=a')
      expect(response.status).toBe(200)
      expect(response.headers.getSetCookie()).toEqual([])
      expect(response.headers.get('vary') ?? '').toMatch(/cookie/i)
    })

    it('issues a signed cookie with secure defaults (HttpOnly, Secure, SameSite=Lax, Path=/)', async () => {
      const app = await start({ cookie: {} })
      const response = await app.call('/set?key=a&value=1', {
        method: 'POST',
        headers: { 'x-forwarded-proto': 'https' },
      })
      expect(response.status).toBe(200)
      const cookies = response.headers.getSetCookie()
      expect(cookies).toHaveLength(1)
      const [pair, ...attributes] = (cookies[0] as string).split('; ')
      expect(pair?.startsWith(`${COOKIE}=`)).toBe(true)
      expect(pair?.slice(COOKIE.length + 1)).toMatch(SIGNED_ID)
      const lower = attributes.map((attribute) => attribute.toLowerCase())
      expect(lower).toContain('httponly')
      expect(lower).toContain('secure')
      expect(lower).toContain('samesite=lax')
      expect(lower).toContain('path=/')
      expect(lower.some((attribute) => /^max-age=\d+$/.test(attribute))).toBe(true)
      expect(response.headers.get('cache-control')).toMatch(/no-store/)
      expect(response.headers.get('vary')).toMatch(/cookie/i)
    })

    it('gives tampered, unsigned, garbage and oversized cookies a new session, never a 5xx', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=who&value=owner', { method: 'POST', jar })
      const valid = jar.get(COOKIE) as string
      const [id, signature] = valid.split('.') as [string, string]
      const flipped = signature[0] === 'A' ? `B${signature.slice(1)}` : `A${signature.slice(1)}`
      const variants = [
        `${id}.${flipped}`,
        id,
        `${id}.`,
        `.${signature}`,
        'garbage',
        '%%%;;;===',
        '"quoted"',
        `${valid}${'x'.repeat(5000)}`,
        'x'.repeat(6000),
        `${id.slice(0, 20)}.${signature}`,
        `${valid}.${signature}`,
        'ünïcødé',
      ]
      for (const value of variants) {
        const headers = { cookie: `${COOKIE}=${value}` }
        const read = await app.call('/get?key=who', { headers })
        expect(read.status, `GET with cookie ${value.slice(0, 40)}`).toBe(200)
        const body = (await read.json()) as { value: unknown; isNew: boolean }
        expect(body.value).toBeNull()
        expect(body.isNew).toBe(true)
        const write = await app.call('/set?key=who&value=intruder', { method: 'POST', headers })
        expect(write.status, `POST with cookie ${value.slice(0, 40)}`).toBe(200)
        const issued = new CookieJar()
        issued.update(write)
        expect(issued.get(COOKIE)).toMatch(SIGNED_ID)
        expect(issued.get(COOKIE)).not.toBe(valid)
      }
      // The owner's session is untouched.
      expect((await app.json('/get?key=who', { jar })).value).toBe('owner')
    })

    it('never adopts a well-formed, correctly signed id the store does not know', async () => {
      const app = await start()
      const unknownId = randomBytes(32).toString('base64url')
      const signature = createHmac('sha256', SUITE_SECRET).update(unknownId).digest('base64url')
      const headers = { cookie: `${COOKIE}=${unknownId}.${signature}` }
      const read = (await app.json('/get?key=a', { headers })) as { id: string; isNew: boolean }
      expect(read.isNew).toBe(true)
      expect(read.id).not.toBe(unknownId)
      const write = await app.call('/set?key=a&value=1', { method: 'POST', headers })
      expect(write.status).toBe(200)
      const jar = new CookieJar()
      jar.update(write)
      expect(jar.get(COOKIE)?.startsWith(`${unknownId}.`)).toBe(false)
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      expect((await app.json('/get?key=a', { headers })).value).toBeNull()
    })

    for (const [kind, route] of [
      ['writes on every request', (i: number): [string, string] => [`/append?item=${i}`, 'POST']],
      ['only reads', (): [string, string] => ['/get?key=cart', 'GET']],
    ] as const) {
      it(`keeps a user who ${kind} signed in when the cookie's Max-Age follows the idle timeout`, async () => {
        // absoluteTimeout: false, as express-session users configure: the cookie lives for
        // idleTimeout from its issue, so every move of the expiry must re-issue it.
        let now = Date.now()
        const clock = () => now
        const app = await start({
          now: clock,
          absoluteTimeout: false,
          idleTimeout: 2000,
          touchInterval: 1000,
        })
        const jar = new CookieJar(clock)
        await app.json('/append?item=start', { method: 'POST', jar })
        for (let i = 0; i < 20; i++) {
          now += 500
          expect(jar.get(COOKIE), `the cookie is alive at ${(i + 1) * 500} ms`).toBeDefined()
          const [path, method] = route(i)
          await app.json(path, { method, jar })
        }
        const cart = (await app.json<{ value: string[] }>('/get?key=cart', { jar })).value
        expect(cart).toHaveLength(kind === 'only reads' ? 1 : 21)
        // Throttled like touches: about one re-issue per touchInterval, not one per request.
        expect(jar.issued).toBeLessThanOrEqual(13)
      })
    }
  })
}
