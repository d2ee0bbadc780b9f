import { MemoryStore } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { switchableStore } from '../test-stores.js'
import { COOKIE, type SuiteContext } from './suite-context.js'
import { captureWarnings } from './warnings.js'

/**
 * The default `Secure` cookie over plain HTTP, the same on every adapter: delivered to a
 * loopback host (browsers treat http://localhost as a secure context), withheld elsewhere
 * (browsers would refuse it) with nothing stored and one warning, delivered again when a
 * trusted proxy says the request was HTTPS.
 */
export function secureCookieCases({ start }: SuiteContext): void {
  describe('the default Secure cookie over plain HTTP', () => {
    for (const host of ['localhost:3000', '127.0.0.1:8080', '[::1]:3000', 'app.localhost']) {
      it(`is delivered to the loopback host ${host}, and the session works`, async () => {
        const app = await start({ cookie: {} })
        const jar = new CookieJar()
        const headers = { host }
        const warnings = await captureWarnings(async () => {
          const write = await app.call('/set?key=a&value=1', { method: 'POST', jar, headers })
          expect(write.status).toBe(200)
          expect(write.headers.getSetCookie()[0]).toMatch(/; Secure/)
          expect((await app.json('/get?key=a', { jar, headers })).value).toBe('1')
        })
        expect(warnings).toEqual([])
      })
    }

    it('is withheld on another plain-HTTP host: nothing stored, one warning saying what to do', async () => {
      const store = switchableStore(new MemoryStore())
      const app = await start({ cookie: {}, store })
      const headers = { host: 'app.example' }
      const warnings = await captureWarnings(async () => {
        for (let i = 0; i < 2; i++) {
          const write = await app.call('/set?key=a&value=1', { method: 'POST', headers })
          expect(write.status).toBe(200)
          expect(write.headers.getSetCookie()).toEqual([])
        }
      })
      expect(store.calls.set ?? 0, 'a session no cookie could reach is not stored').toBe(0)
      const insecure = warnings.filter((warning) => warning.code === 'TESSERA_INSECURE_COOKIE')
      expect(insecure).toHaveLength(1)
      expect(insecure[0]?.message).toMatch(/proxy/)
    })

    it('is delivered when a trusted proxy says the request was HTTPS', async () => {
      const app = await start({ cookie: {} })
      const jar = new CookieJar()
      const headers = { host: 'app.example', 'x-forwarded-proto': 'https' }
      const write = await app.call('/set?key=a&value=1', { method: 'POST', jar, headers })
      expect(write.headers.getSetCookie()[0]).toMatch(new RegExp(`^${COOKIE}=.+; Secure`))
      expect((await app.json('/get?key=a', { jar, headers })).value).toBe('1')
    })
  })
}
