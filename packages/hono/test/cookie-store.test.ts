import { CookieStore, SessionTooLargeError } from '@tessera/core'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { type SessionEnv, session } from '../src/index.js'
import { CookieJar } from './cookie-jar.js'
import { serveOnNode } from './hono-harness.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const KEY = 'cookie-store-key-of-at-least-32-characters'
const OLD_KEY = 'old-cookie-store-key-at-least-32-characters'

interface Data {
  cart: string[]
  blob: string
}

function app(keys: string | string[]) {
  const errors: unknown[] = []
  const hono = new Hono<SessionEnv<Data>>()
  hono.use(session<Data>({ secret: SECRET, store: new CookieStore({ keys }) }))
  hono.onError((error, c) => {
    errors.push(error)
    return c.text('failed', 500)
  })
  hono.get('/', (c) =>
    c.json({ cart: c.var.session.get('cart') ?? null, isNew: c.var.session.isNew }),
  )
  hono.post('/add', (c) => {
    const s = c.var.session
    const cart = s.get('cart') ?? []
    cart.push(c.req.query('item') ?? '')
    s.set('cart', cart)
    return c.json({ ok: true })
  })
  hono.post('/big', (c) => {
    c.var.session.set('blob', 'x'.repeat(4000))
    return c.json({ ok: true })
  })
  hono.post('/destroy', async (c) => {
    await c.var.session.destroy()
    return c.json({ ok: true })
  })
  return { hono, errors }
}

async function read(hono: Hono<SessionEnv<Data>>, jar: CookieJar) {
  return (await jar.take(await hono.request('/', { headers: jar.headers() })).json()) as {
    cart: string[] | null
    isNew: boolean
  }
}

describe('CookieStore through @tessera/hono', () => {
  it('round-trips the session in a sealed cookie and destroys it', async () => {
    const { hono } = app(KEY)
    const jar = new CookieJar()
    jar.take(await hono.request('/add?item=apple', { method: 'POST' }))
    expect(jar.cookie).toMatch(/^tessera\.sid=[\w-]+$/)
    expect(jar.cookie).not.toContain('apple')
    jar.take(await hono.request('/add?item=pear', { method: 'POST', headers: jar.headers() }))
    expect(await read(hono, jar)).toEqual({ cart: ['apple', 'pear'], isNew: false })
    const unchanged = await hono.request('/', { headers: jar.headers() })
    expect(unchanged.headers.get('set-cookie')).toBeNull()
    const destroyed = jar.take(
      await hono.request('/destroy', { method: 'POST', headers: jar.headers() }),
    )
    expect(destroyed.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(jar.cookie).toBeUndefined()
  })

  it('gives a tampered or truncated cookie a new, empty session', async () => {
    const { hono } = app(KEY)
    const jar = new CookieJar()
    jar.take(await hono.request('/add?item=apple', { method: 'POST' }))
    const value = (jar.cookie as string).slice('tessera.sid='.length)
    const flipped = `${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`
    for (const forged of [flipped, value.slice(0, -4), 'garbage']) {
      const other = new CookieJar()
      other.cookie = `tessera.sid=${forged}`
      expect(await read(hono, other)).toEqual({ cart: null, isNew: true })
    }
  })

  it('rotates keys: an old key still opens and the cookie is re-sealed with the new one', async () => {
    const jar = new CookieJar()
    jar.take(await app(OLD_KEY).hono.request('/add?item=x', { method: 'POST' }))
    const old = jar.cookie
    expect(await read(app([KEY, OLD_KEY]).hono, jar)).toEqual({ cart: ['x'], isNew: false })
    expect(jar.cookie).not.toBe(old)
    expect(await read(app(KEY).hono, jar)).toEqual({ cart: ['x'], isNew: false })
    const stale = new CookieJar()
    stale.cookie = old
    expect(await read(app(KEY).hono, stale)).toEqual({ cart: null, isNew: true })
  })

  it('fails the request with SessionTooLargeError when the cookie would pass 4096 bytes', async () => {
    const { hono, errors } = app(KEY)
    const response = await hono.request('/big', { method: 'POST' })
    expect(response.status).toBe(500)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect((errors[0] as Error).message).toMatch(/4096/)
  })

  describe('on @hono/node-server', () => {
    const running: Array<{ close(): Promise<void> }> = []
    afterEach(async () => {
      await Promise.all(running.splice(0).map((s) => s.close()))
    })

    it('round-trips over real HTTP', async () => {
      const server = await serveOnNode(app(KEY).hono)
      running.push(server)
      const jar = new CookieJar()
      jar.take(await fetch(`${server.url}/add?item=a`, { method: 'POST' }))
      jar.take(await fetch(`${server.url}/add?item=b`, { method: 'POST', headers: jar.headers() }))
      const response = await fetch(server.url, { headers: jar.headers() })
      expect(await response.json()).toEqual({ cart: ['a', 'b'], isNew: false })
    })
  })
})
