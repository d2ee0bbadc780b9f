import { describe, expect, it } from 'vitest'
import { COOKIE, SIGNED_ID, type SuiteContext } from './suite-context.js'

/** The shared adapter cases: id header. */
export function idHeaderCases({ start }: SuiteContext): void {
  describe('id from a header', () => {
    it('reads and returns the id in x-session-id, without cookies', async () => {
      const app = await start({ idFrom: { header: 'x-session-id' } })
      const created = await app.call('/set?key=a&value=1', { method: 'POST' })
      expect(created.status).toBe(200)
      expect(created.headers.getSetCookie()).toEqual([])
      const id = created.headers.get('x-session-id') as string
      expect(id).toMatch(SIGNED_ID)
      const headers = { 'x-session-id': id }
      expect((await app.json('/get?key=a', { headers })).value).toBe('1')
      const read = await app.call('/get?key=a', { headers: { cookie: `${COOKIE}=${id}` } })
      expect(((await read.json()) as { value: unknown }).value).toBeNull()
    })
  })

  describe('id from a header, over plain HTTP with the default (Secure) cookie options', () => {
    it('creates the session and returns the id header, with no cookie warning', async () => {
      const warnings: unknown[] = []
      const original = process.emitWarning
      process.emitWarning = ((warning: unknown) => {
        warnings.push(warning)
      }) as typeof process.emitWarning
      try {
        const app = await start({ cookie: {}, idFrom: { header: 'x-session-id' } })
        const plain = { host: 'app.example' }
        const created = await app.call('/set?key=a&value=1', { method: 'POST', headers: plain })
        expect(created.status).toBe(200)
        expect(created.headers.getSetCookie()).toEqual([])
        const id = created.headers.get('x-session-id') as string
        expect(id).toMatch(SIGNED_ID)
        const read = await app.json('/get?key=a', { headers: { ...plain, 'x-session-id': id } })
        expect(read.value).toBe('1')
      } finally {
        process.emitWarning = original
      }
      expect(warnings).toEqual([])
    })
  })
}
