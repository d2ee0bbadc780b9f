import { MemoryStore } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { withLeases, withoutLeases } from '../test-stores.js'
import type { SuiteContext } from './suite-context.js'

/** The shared adapter cases: the route guards, `exclusive()` and `requireFresh()` (#17). */
export function routeGuardCases({ start }: SuiteContext): void {
  describe('route guards', () => {
    it("exclusive(): 12 concurrent requests of one session never overlap, and each sees the last one's write", async () => {
      const app = await start({ store: withLeases(new MemoryStore()) })
      const jar = new CookieJar()
      await app.json('/set?key=count&value=0', { method: 'POST', jar })
      // A plain read-then-set: without mutual exclusion, a conflict replay would lose counts.
      const answers = await Promise.all(
        Array.from({ length: 12 }, () =>
          app.json<{ overlapped: boolean }>('/exclusive-count', { method: 'POST', jar }),
        ),
      )
      expect(answers.filter((answer) => answer.overlapped)).toEqual([])
      expect((await app.json('/get?key=count', { jar })).value).toBe(12)
    }, 30_000)

    it('exclusive() on a store without leases fails with a 501 that says what is missing', async () => {
      const app = await start({ store: withoutLeases(new MemoryStore()) })
      const jar = new CookieJar()
      await app.json('/set?key=count&value=0', { method: 'POST', jar })
      const response = await app.call('/exclusive-count', { method: 'POST', jar })
      expect(response.status).toBe(501)
      expect(app.errors.map((error) => (error as Error).message).join('\n')).toMatch(
        /lock\(\)\/unlock\(\)/,
      )
    })

    it('requireFresh(): a fresh sign-in passes; none, or a stale one, gets a 401 or the redirect', async () => {
      const app = await start()
      const jar = new CookieJar()
      expect((await app.call('/fresh', { jar })).status, 'not signed in').toBe(401)
      const redirect = await app.call('/fresh-redirect', { jar })
      expect(redirect.status).toBe(303)
      expect(redirect.headers.get('location')).toBe('/sign-in?returnTo=%2Ffresh-redirect')
      await app.json('/login?user=ada', { method: 'POST', jar })
      expect(await app.json('/fresh', { jar })).toEqual({ ok: true })
      expect(await app.json('/fresh-redirect', { jar })).toEqual({ ok: true })
      expect(
        app.errors.map((error) => (error as { code?: string }).code),
        'the refusal reached error handling as a typed error',
      ).toContain('SESSION_NOT_FRESH')
    })
  })
}
