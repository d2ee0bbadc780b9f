import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { COOKIE, type SuiteContext } from './suite-context.js'

/** The shared adapter cases: id rotation with a grace window and reuse detection (#17). */
export function rotationCases({ start }: SuiteContext): void {
  describe('id rotation', () => {
    it('replaces the id after `every`; the old one leads to the session (with the new id) for `grace`, then to none', async () => {
      let now = Date.now()
      const app = await start({ rotation: { every: '15m', grace: '30s' }, now: () => now })
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const old = jar.get(COOKIE) as string
      now += 16 * 60_000
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      const rotated = jar.get(COOKIE)
      expect(rotated, 'a new id').not.toBe(old)
      now += 10_000
      const straggler = new CookieJar()
      straggler.set(COOKIE, old)
      expect((await app.json('/get?key=a', { jar: straggler })).value, 'in flight').toBe('1')
      expect(straggler.get(COOKIE), 'and handed the new id').toBe(rotated)
      now += 30_000
      const thief = new CookieJar()
      thief.set(COOKIE, old)
      expect((await app.json('/get?key=a', { jar: thief })).value, 'after grace').toBeNull()
      expect((await app.json('/get?key=a', { jar })).value, 'the user is unaffected').toBe('1')
    })
  })

  describe('soft binding', () => {
    it("binding: { userAgent: 'reject' } gives a request from another user agent no session, and leaves the session to its device", async () => {
      const app = await start({ binding: { userAgent: 'reject' } })
      const jar = new CookieJar()
      const firefox = { 'user-agent': 'Firefox/140' }
      await app.json('/set?key=a&value=1', { method: 'POST', jar, headers: firefox })
      const cookie = jar.get(COOKIE) as string
      const other = new CookieJar()
      other.set(COOKIE, cookie)
      const stolen = await app.json('/get?key=a', {
        jar: other,
        headers: { 'user-agent': 'curl/8' },
      })
      expect(stolen.value).toBeNull()
      const back = new CookieJar()
      back.set(COOKIE, cookie)
      expect((await app.json('/get?key=a', { jar: back, headers: firefox })).value).toBe('1')
    })

    it("trackIp with binding: { ip: 'reject' } uses the client IP the adapter trusts (X-Forwarded-For from 127.0.0.1)", async () => {
      const app = await start({ trackIp: true, binding: { ip: 'reject' } })
      const jar = new CookieJar()
      const home = { 'x-forwarded-for': '203.0.113.7' }
      await app.json('/set?key=a&value=1', { method: 'POST', jar, headers: home })
      const cookie = jar.get(COOKIE) as string
      const elsewhere = new CookieJar()
      elsewhere.set(COOKIE, cookie)
      const away = await app.json('/get?key=a', {
        jar: elsewhere,
        headers: { 'x-forwarded-for': '198.51.100.9' },
      })
      expect(away.value).toBeNull()
      const again = new CookieJar()
      again.set(COOKIE, cookie)
      expect((await app.json('/get?key=a', { jar: again, headers: home })).value).toBe('1')
    })
  })
}
