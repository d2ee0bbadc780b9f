import { MemoryStore, SESSION_MEMBERS } from '@tessera/core'
import { slowStore } from '@tessera/testkit'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { COOKIE, type SuiteContext } from './suite-context.js'

/** The shared adapter cases: lifecycle. */
export function lifecycleCases({ start }: SuiteContext): void {
  describe('lifecycle', () => {
    it('login issues a new id, kills the old cookie and keeps the data', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=cart&value=full', { method: 'POST', jar })
      const before = jar.clone()
      const login = await app.call('/login?user=ada', { method: 'POST', jar })
      expect(login.status).toBe(200)
      expect(jar.get(COOKIE)).not.toBe(before.get(COOKIE))
      expect((await app.json('/whoami', { jar })).userId).toBe('ada')
      expect((await app.json('/get?key=cart', { jar })).value).toBe('full')
      expect((await app.json('/whoami', { jar: before.clone() })).userId).toBeNull()
      expect((await app.json('/get?key=cart', { jar: before.clone() })).value).toBeNull()
    })

    it('logout ends the session: cookie cleared, old cookie dead', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/login?user=ada', { method: 'POST', jar })
      const signedIn = jar.clone()
      const logout = await app.call('/logout', { method: 'POST', jar })
      expect(logout.status).toBe(200)
      expect(logout.headers.getSetCookie().join()).toMatch(/Max-Age=0/i)
      expect(jar.get(COOKIE)).toBeUndefined()
      expect((await app.json('/whoami', { jar: signedIn })).userId).toBeNull()
    })

    it('maxSessionsPerUser leaves exactly the limit after concurrent logins', async () => {
      const app = await start({
        store: slowStore(new MemoryStore(), { minMs: 0, maxMs: 3 }),
        maxSessionsPerUser: 2,
      })
      for (let round = 0; round < 3; round++) {
        const user = `racer-${round}`
        const jars = Array.from({ length: 6 }, () => new CookieJar())
        await Promise.all(
          jars.map((jar) => app.json(`/login?user=${user}`, { method: 'POST', jar })),
        )
        let signedIn = 0
        for (const jar of jars) {
          if (!jar.get(COOKIE)) continue
          if ((await app.json('/whoami', { jar })).userId === user) signedIn++
        }
        expect(signedIn, `round ${round}`).toBe(2)
      }
    })

    it('regenerate() starts a fresh, empty session under a new id; the old cookie is dead', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const old = jar.clone()
      await app.json('/regenerate', { method: 'POST', jar })
      expect((await app.json('/get?key=a', { jar })).value).toBeNull()
      expect((await app.json('/get?key=a', { jar: old })).value).toBeNull()
    })

    it('regenerate({ keepData: true }) moves the data to a new id', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const old = jar.clone()
      await app.json('/regenerate?keep=1', { method: 'POST', jar })
      expect(jar.get(COOKIE)).not.toBe(old.get(COOKIE))
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
      expect((await app.json('/get?key=a', { jar: old })).value).toBeNull()
    })

    it('destroy deletes the record and clears the cookie', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const old = jar.clone()
      const destroyed = await app.call('/destroy', { method: 'POST', jar })
      expect(destroyed.status).toBe(200)
      expect(jar.get(COOKIE)).toBeUndefined()
      expect((await app.json('/get?key=a', { jar: old })).value).toBeNull()
    })
  })

  describe('session API', () => {
    it("reaches every Session member through the adapter's own accessor", async () => {
      const app = await start()
      const { members } = await app.json<{ members: Record<string, string> }>('/members')
      const properties: Record<string, string> = {
        id: 'string',
        isNew: 'boolean',
        userId: 'object',
        createdAt: 'number',
        authenticatedAt: 'object',
        lifetime: 'object',
      }
      for (const member of SESSION_MEMBERS) {
        expect(members[member], member).toBe(properties[member] ?? 'function')
      }
    })
  })
}
