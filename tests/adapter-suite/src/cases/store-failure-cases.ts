import { MemoryStore, SessionStoreConfigError } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { switchableStore } from '../test-stores.js'
import type { SuiteContext } from './suite-context.js'

/** The shared adapter cases: store failure. */
export function storeFailureCases({ start }: SuiteContext): void {
  describe('store failures', () => {
    it('answers 503 while the store fails, and recovers when it is back', async () => {
      const store = switchableStore(new MemoryStore())
      const app = await start({ store })
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      store.mode = 'fail'
      const read = await app.call('/get?key=a', { jar })
      expect(read.status).toBe(503)
      expect(read.headers.getSetCookie()).toEqual([])
      const write = await app.call('/set?key=b&value=2', { method: 'POST' })
      expect(write.status).toBe(503)
      expect(write.headers.getSetCookie()).toEqual([])
      // Requests without a session id need no store, so they keep working.
      expect((await app.call('/noop')).status).toBe(200)
      store.mode = 'ok'
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
    })

    it('answers 503 within the store timeout when the store hangs', async () => {
      const store = switchableStore(new MemoryStore())
      const app = await start({ store, storeTimeout: 200 })
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      store.mode = 'hang'
      for (const [path, init] of [
        ['/get?key=a', { jar }],
        ['/set?key=b&value=2', { method: 'POST' }],
        ['/set?key=c&value=3', { method: 'POST', jar }],
      ] as const) {
        const started = performance.now()
        const response = await app.call(path, init)
        const elapsed = performance.now() - started
        expect(response.status, path).toBe(503)
        await response.arrayBuffer()
        expect(elapsed, path).toBeGreaterThanOrEqual(150)
        expect(elapsed, path).toBeLessThan(1500)
      }
      store.mode = 'ok'
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
    })

    it('a store set up wrong fails the first request with a 500 saying the fix (not a 503 loop)', async () => {
      const store = Object.assign(new MemoryStore(), {
        ready: async () => {
          throw new SessionStoreConfigError(
            'TEST_TABLE_MISSING',
            'The session table "sessions" does not exist: create it with createSessionTable(db).',
          )
        },
      })
      const app = await start({ store })
      for (const path of ['/noop', '/get?key=a']) {
        const response = await app.call(path)
        expect(response.status, path).toBe(500)
      }
      expect(app.errors).toHaveLength(2)
      for (const error of app.errors) {
        expect(error).toMatchObject({ code: 'TEST_TABLE_MISSING', status: 500 })
      }
    })

    it('a store whose readiness check meets an outage still serves routes that need no store', async () => {
      let down = true
      let checks = 0
      const store = Object.assign(new MemoryStore(), {
        ready: async () => {
          checks++
          if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:6390')
        },
      })
      const app = await start({ store })
      expect((await app.call('/noop')).status).toBe(200)
      down = false
      expect((await app.call('/noop')).status).toBe(200)
      expect((await app.call('/noop')).status).toBe(200)
      expect(checks, 'checked until it succeeded once, then never again').toBe(2)
    })
  })
}
