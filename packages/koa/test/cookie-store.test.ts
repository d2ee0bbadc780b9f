import { CookieStore, SessionTooLargeError } from '@tessera/core'
import type Koa from 'koa'
import { afterEach, describe, expect, it } from 'vitest'
import { session } from '../src/index.js'
import { Client } from './http-client.js'
import { type KoaClass, koaVersions, listen } from './koa-harness.js'

const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
const KEY = 'cookie-store-key-of-at-least-32-characters'
const OLD_KEY = 'old-cookie-store-key-at-least-32-characters'

interface Data {
  cart: string[]
  blob: string
}

const running: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()))
})

describe.each(koaVersions)('CookieStore through $name', ({ Koa }) => {
  async function start(keys: string | string[]) {
    const errors: unknown[] = []
    const koa: Koa = new (Koa as KoaClass)()
    koa.silent = true
    koa.on('error', (error) => errors.push(error))
    koa
      .use(
        session<Data>({
          secret: SECRET,
          cookie: { secure: false },
          store: new CookieStore({ keys }),
        }),
      )
      .use((ctx) => {
        if (ctx.path === '/add') {
          ctx.session.cart ??= []
          ctx.session.cart.push(String(ctx.query.item))
        }
        if (ctx.path === '/big') ctx.session.blob = 'x'.repeat(4000)
        if (ctx.path === '/null') ctx.session = null
        ctx.body = { cart: ctx.session.cart ?? null, isNew: ctx.session.isNew }
      })
    const server = await listen(koa)
    running.push(server)
    return { client: new Client(server.url), errors, url: server.url }
  }

  it('round-trips the session in a sealed cookie, nested mutation included', async () => {
    const { client } = await start(KEY)
    await client.request('/add?item=apple')
    expect(client.cookie).toMatch(/^tessera\.sid=[\w-]+$/)
    expect(client.cookie).not.toContain('apple')
    await client.request('/add?item=pear')
    expect(await client.json('/')).toEqual({ cart: ['apple', 'pear'], isNew: false })
    const unchanged = await client.request('/')
    expect(unchanged.headers.get('set-cookie')).toBeNull()
    const cleared = await client.request('/null')
    expect(cleared.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(client.cookie).toBeUndefined()
  })

  it('gives a tampered or truncated cookie a new, empty session', async () => {
    const { client, url } = await start(KEY)
    await client.request('/add?item=apple')
    const value = (client.cookie as string).slice('tessera.sid='.length)
    const flipped = `${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`
    for (const forged of [flipped, value.slice(0, -4), 'garbage']) {
      const other = new Client(url)
      other.cookie = `tessera.sid=${forged}`
      const response = await other.request('/')
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({ cart: null, isNew: true })
    }
  })

  it('rotates keys: an old key still opens and the cookie is re-sealed with the new one', async () => {
    const before = await start(OLD_KEY)
    await before.client.request('/add?item=x')
    const during = await start([KEY, OLD_KEY])
    during.client.cookie = before.client.cookie
    expect(await during.client.json('/')).toEqual({ cart: ['x'], isNew: false })
    expect(during.client.cookie).not.toBe(before.client.cookie)
    const after = await start(KEY)
    after.client.cookie = during.client.cookie
    expect(await after.client.json('/')).toEqual({ cart: ['x'], isNew: false })
    after.client.cookie = before.client.cookie
    expect(await after.client.json('/')).toEqual({ cart: null, isNew: true })
  })

  it('fails the request with SessionTooLargeError when the cookie would pass 4096 bytes', async () => {
    const { client, errors } = await start(KEY)
    const response = await client.request('/big')
    expect(response.status).toBe(500)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect((errors[0] as Error).message).toMatch(/4096/)
  })
})
