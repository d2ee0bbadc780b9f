import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import type { SuiteContext } from './suite-context.js'
import { captureWarnings } from './warnings.js'

/** What happens when `session()` is mounted wrong: missing before a route, or twice. */
export function mountingCases({ start }: SuiteContext): void {
  describe('mounting', () => {
    it('the session used where session() did not run is a SessionMiddlewareMissingError (500), not a TypeError', async () => {
      const app = await start()
      const response = await app.call('/unmounted')
      expect(response.status).toBe(500)
      const error = app.errors[0] as { code?: string; message?: string } | undefined
      expect(error?.code).toBe('SESSION_MIDDLEWARE_MISSING')
      expect(error?.message).toMatch(/mount app\.use\(session\(/)
    })

    it('a second session() with its own options is ignored with one warning naming both mounts', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const warnings = await captureWarnings(async () => {
        for (let i = 0; i < 2; i++) {
          expect((await app.json('/nested/get?key=a', { jar })).value).toBe('1')
        }
      })
      const twice = warnings.filter((warning) => warning.code === 'TESSERA_SESSION_MOUNTED_TWICE')
      expect(twice).toHaveLength(1)
      expect(twice[0]?.message.match(/session\(\) created at /g)).toHaveLength(2)
      expect(
        jar.get('nested.sid'),
        'the ignored session() set no cookie of its own',
      ).toBeUndefined()
    })
  })
}
