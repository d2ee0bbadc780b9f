import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import type { SuiteContext } from './suite-context.js'

/** The shared adapter cases: csrf. */
export function csrfCases({ start }: SuiteContext): void {
  describe('csrf', () => {
    it('rejects unsafe requests without the right token (403), accepts the right one', async () => {
      const app = await start()
      const jar = new CookieJar()
      const { token } = await app.json<{ token: string }>('/csrf-token', { jar })
      expect(typeof token).toBe('string')
      const json = { 'content-type': 'application/json' }
      const form = { 'content-type': 'application/x-www-form-urlencoded' }
      const post = (headers: Record<string, string>, body: string) =>
        app.call('/protected', { method: 'POST', jar, headers, body })

      expect((await post(json, '{}')).status).toBe(403)
      expect((await post({ ...json, 'x-csrf-token': 'wrong' }, '{}')).status).toBe(403)
      expect((await post({ ...json, 'x-csrf-token': `${token}x` }, '{}')).status).toBe(403)
      expect((await post(form, 'name=x')).status).toBe(403)
      expect(
        (await post(form, `name=x&_csrf=${encodeURIComponent(`${token.slice(1)}`)}`)).status,
      ).toBe(403)

      expect((await post({ ...json, 'x-csrf-token': token }, '{}')).status).toBe(200)
      expect((await post(form, `name=x&_csrf=${encodeURIComponent(token)}`)).status).toBe(200)
    })

    it('rejects a token from another session', async () => {
      const app = await start()
      const mine = new CookieJar()
      const theirs = new CookieJar()
      await app.json('/csrf-token', { jar: mine })
      const { token } = await app.json<{ token: string }>('/csrf-token', { jar: theirs })
      const response = await app.call('/protected', {
        method: 'POST',
        jar: mine,
        headers: { 'x-csrf-token': token, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(response.status).toBe(403)
    })

    it('rejects a request with no session at all', async () => {
      const app = await start()
      const response = await app.call('/protected', {
        method: 'POST',
        headers: { 'x-csrf-token': 'anything', 'content-type': 'application/json' },
        body: '{}',
      })
      expect(response.status).toBe(403)
    })
  })
}
