import { MemoryStore } from '@tessera/core'
import { slowStore } from '@tessera/testkit'
import { describe, expect, it } from 'vitest'
import { CookieJar } from '../cookie-jar.js'
import { switchableStore } from '../test-stores.js'
import type { SuiteContext } from './suite-context.js'

/** The shared adapter cases: data. */
export function dataCases({ start }: SuiteContext): void {
  describe('data', () => {
    it('round-trips values and saves nested mutation', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=color&value=blue', { method: 'POST', jar })
      await app.json('/push?item=apple', { method: 'POST', jar })
      await app.json('/push?item=pear', { method: 'POST', jar })
      expect((await app.json('/get?key=color', { jar })).value).toBe('blue')
      expect((await app.json('/get?key=cart', { jar })).value).toEqual(['apple', 'pear'])
    })

    it('costs one store read and no write for read-only traffic', async () => {
      const store = switchableStore(new MemoryStore())
      const app = await start({ store })
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const before = { ...store.calls }
      const response = await app.call('/get?key=a', { jar })
      expect(response.status).toBe(200)
      expect(response.headers.getSetCookie()).toEqual([])
      expect((store.calls.get ?? 0) - (before.get ?? 0)).toBe(1)
      expect((store.calls.set ?? 0) - (before.set ?? 0)).toBe(0)
    })

    it('saves nothing when the response is a 5xx', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/set?key=a&value=1', { method: 'POST', jar })
      const boom = await app.call('/boom', { jar })
      expect(boom.status).toBe(500)
      expect((await app.json('/get?key=lost', { jar })).value).toBeNull()
      expect((await app.json('/get?key=a', { jar })).value).toBe('1')
    })

    it('shows a write to a redirect followed at once (read-your-writes)', async () => {
      const app = await start({ store: slowStore(new MemoryStore(), { minMs: 5, maxMs: 20 }) })
      for (let round = 0; round < 5; round++) {
        const jar = new CookieJar()
        const redirect = await app.call('/write-and-redirect', { jar })
        expect(redirect.status).toBe(302)
        const location = redirect.headers.get('location') as string
        expect(location).toContain('/get?key=flag')
        expect((await app.json(location, { jar })).value).toBe('written')
      }
    })

    it('keeps all 100 items of 100 concurrent update() calls on one session', async () => {
      const app = await start({ store: slowStore(new MemoryStore(), { minMs: 1, maxMs: 8 }) })
      const jar = new CookieJar()
      await app.json('/set?key=owner&value=me', { method: 'POST', jar })
      const items = Array.from({ length: 100 }, (_, i) => `item-${i}`)
      const responses = await Promise.all(
        items.map((item) =>
          app.call(`/append?item=${item}`, {
            method: 'POST',
            headers: { cookie: jar.header() as string },
          }),
        ),
      )
      expect(responses.map((response) => response.status)).toEqual(items.map(() => 200))
      const cart = (await app.json<{ value: string[] }>('/get?key=cart', { jar })).value
      expect(cart).toHaveLength(100)
      expect([...cart].sort()).toEqual([...items].sort())
    })

    it('keeps every key of concurrent requests that set different keys', async () => {
      const app = await start({ store: slowStore(new MemoryStore(), { minMs: 1, maxMs: 8 }) })
      const jar = new CookieJar()
      await app.json('/set?key=owner&value=me', { method: 'POST', jar })
      const keys = Array.from({ length: 30 }, (_, i) => `k${i}`)
      const cookie = jar.header() as string
      const responses = await Promise.all(
        keys.map((key) =>
          app.call(`/set?key=${key}&value=v-${key}`, { method: 'POST', headers: { cookie } }),
        ),
      )
      expect(responses.map((response) => response.status)).toEqual(keys.map(() => 200))
      for (const key of keys)
        expect((await app.json(`/get?key=${key}`, { jar })).value).toBe(`v-${key}`)
      expect((await app.json('/get?key=owner', { jar })).value).toBe('me')
    })

    it('reads back JSON with constructor and __proto__ keys intact, at any depth', async () => {
      const app = await start()
      const jar = new CookieJar()
      const values: Array<[key: string, json: string]> = [
        ['car', '{"name":"Ferrari","constructor":"Scuderia"}'],
        ['constructor', '"Scuderia"'],
        ['profile', '{"__proto__":{"admin":true},"name":"x"}'],
        ['deep', `${'{"a":'.repeat(200)}{"__proto__":{"admin":true}}${'}'.repeat(200)}`],
      ]
      for (const [key, json] of values) {
        await app.json(`/set-json?key=${key}&value=${encodeURIComponent(json)}`, {
          method: 'POST',
          jar,
        })
      }
      for (const [key, json] of values) {
        const read = await app.json<{ value: unknown; isNew: boolean }>(`/get?key=${key}`, {
          jar,
        })
        expect(read.isNew, key).toBe(false)
        expect(JSON.stringify(read.value), key).toBe(json)
      }
      expect(Object.prototype).not.toHaveProperty('admin')
    })

    it('delivers flash messages once', async () => {
      const app = await start()
      const jar = new CookieJar()
      await app.json('/flash?message=saved', { method: 'POST', jar })
      await app.json('/flash?message=again', { method: 'POST', jar })
      expect((await app.json('/flash', { jar })).messages).toEqual(['saved', 'again'])
      expect((await app.json('/flash', { jar })).messages).toEqual([])
    })
  })
}
