import { describe, expect, it } from 'vitest'
import { exchange, testEngine } from './helpers.js'

describe('smoke', () => {
  it('round trips', async () => {
    const engine = testEngine<{ views: number }>()
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    expect(first.setCookie).toMatch(/^tessera\.sid=[\w-]{43}\.[\w-]{43}; Path=\/; Max-Age=604800; HttpOnly; Secure; SameSite=Lax$/)
    const second = await exchange(engine, first.cookie, (s) => { expect(s.get('views')).toBe(1); s.update('views', (v) => (v ?? 0) + 1) })
    expect(second.setCookie).toBeUndefined()
    const third = await exchange(engine, second.cookie, (s) => { expect(s.get('views')).toBe(2) })
    expect(third.headers).toEqual([['vary', 'Cookie']])
  })
})
