import { CookieStore, defaultCryptoProvider, SessionTooLargeError } from '@tessera/core'
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

    /** The default provider, counting its `open` calls; `asynchronous` answers with promises. */
    const countingOpens = (asynchronous: boolean) => {
      const base = defaultCryptoProvider()
      const counter = { opened: 0, provider: base }
      counter.provider = {
        ...base,
        synchronous: !asynchronous,
        open(secret, sealed, aad) {
          counter.opened++
          const plain = base.open(secret, sealed, aad)
          return asynchronous ? Promise.resolve(plain) : plain
        },
      }
      return counter
    }

    it('opens the cookie only when a route uses the session, and each cookie once', async () => {
      expect(defaultCryptoProvider().synchronous, 'node:crypto on Node').toBe(true)
      const jar = new CookieJar()
      await (await sealed(KEY)).json('/push?item=apple', { method: 'POST', jar })
      // Another app (a restarted server): it has never seen this cookie.
      const counter = countingOpens(false)
      const app = await start({ store: new CookieStore({ keys: KEY }), crypto: counter.provider })
      const untouched = await app.call('/noop', { jar })
      expect(untouched.status).toBe(200)
      expect(counter.opened, 'no decryption for /noop').toBe(0)
      expect(untouched.headers.getSetCookie()).toEqual([])
      expect(untouched.headers.get('vary') ?? '').not.toMatch(/cookie/i)
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple'])
      expect(counter.opened, 'one decryption for the route that reads').toBe(1)
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple'])
      expect(counter.opened, 'the same cookie again is not decrypted again').toBe(1)
      await app.json('/push?item=pear', { method: 'POST', jar })
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple', 'pear'])
      expect(counter.opened, 'nor is a cookie this app sealed').toBe(1)
    })

    it('opens the cookie before the route when opening has to wait (an asynchronous provider)', async () => {
      const jar = new CookieJar()
      await (await sealed(KEY)).json('/push?item=apple', { method: 'POST', jar })
      const counter = countingOpens(true)
      const app = await start({ store: new CookieStore({ keys: KEY }), crypto: counter.provider })
      expect((await app.call('/noop', { jar })).status).toBe(200)
      expect(counter.opened).toBe(1)
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple'])
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
