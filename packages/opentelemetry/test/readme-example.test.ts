import { describe, expect, it } from 'vitest'
import { engine } from './readme-example.js'

describe('the README example', () => {
  it('builds an engine whose store calls and events reach the global meter (a no-op without an SDK)', async () => {
    const rs = engine.start({ cookie: undefined })
    await rs.load()
    rs.session.set('n', 1)
    const headers = await rs.commit()
    expect(headers.some(([name]) => name === 'set-cookie')).toBe(true)
  })
})
