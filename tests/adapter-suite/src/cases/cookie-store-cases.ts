import { CookieStore, SessionTooLargeError } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { COOKIE, type SuiteContext } from './suite-context.js'

const KEY = 'cookie-store-key-of-at-least-32-characters'
const OLD_KEY = 'old-cookie-store-key-at-least-32-characters'

/** CookieStore through each adapter: the session sealed in the cookie, no server state. */
export function cookieStoreCases({ start }: SuiteContext): void {
  describe('CookieStore', () => {
    const sealed = (keys: string | string[]) => start({ store: new CookieStore({ keys }) })

    it('round-trips the session in a sealed cookie, nested mutation included', async () => {
      const app = await sealed(KEY)
      const jar = new CookieJar()
      await app.json('/push?item=apple', { method: 'POST', jar })
      expect(jar.get(COOKIE)).toMatch(/^[\w-]+$/)
      expect(jar.get(COOKIE)).not.toContain('apple')
      await app.json('/push?item=pear', { method: 'POST', jar })
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple', 'pear'])
      const unchanged = await app.call('/get?key=cart', { jar })
      expect(unchanged.headers.getSetCookie()).toEqual([])
      const destroyed = await app.call('/destroy', { method: 'POST', jar })
      expect(destroyed.headers.getSetCookie().join()).toMatch(/Max-Age=0/)
      expect(jar.get(COOKIE)).toBeUndefined()
    })

    it('gives a tampered or truncated cookie a new, empty session, never a 5xx', async () => {
      const app = await sealed(KEY)
      const jar = new CookieJar()
      await app.json('/push?item=apple', { method: 'POST', jar })
      const value = jar.get(COOKIE) as string
      const flipped = `${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`
      for (const forged of [flipped, value.slice(0, -4), 'garbage']) {
        const read = await app.call('/get?key=cart', {
          headers: { cookie: `${COOKIE}=${forged}` },
        })
        expect(read.status).toBe(200)
        expect(await read.json()).toMatchObject({ value: null, isNew: true })
      }
    })

    it('rotates keys: an old key still opens, and the cookie is re-sealed with the new one', async () => {
      const before = await sealed(OLD_KEY)
      const jar = new CookieJar()
      await before.json('/push?item=x', { method: 'POST', jar })
      const original = jar.clone()
      const during = await sealed([KEY, OLD_KEY])
      expect((await during.json('/get?key=cart', { jar })).value).toEqual(['x'])
      expect(jar.get(COOKIE), 're-sealed under the new key').not.toBe(original.get(COOKIE))
      const after = await sealed(KEY)
      expect((await after.json('/get?key=cart', { jar })).value).toEqual(['x'])
      expect((await after.json('/get?key=cart', { jar: original })).value).toBeNull()
    })

    it('fails the request with SessionTooLargeError when the cookie would pass 4096 bytes', async () => {
      const app = await sealed(KEY)
      const response = await app.call(`/set?key=blob&value=${'x'.repeat(4000)}`, {
        method: 'POST',
      })
      expect(response.status).toBe(500)
      expect(response.headers.getSetCookie()).toEqual([])
      const error = app.errors.find((e) => e instanceof SessionTooLargeError)
      expect(error, 'the error handler saw a SessionTooLargeError').toBeDefined()
      expect((error as Error).message).toMatch(/4096/)
    })
  })
}
