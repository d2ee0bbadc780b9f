import { CookieJar, send } from '@tessera/adapter-suite'
import { afterEach, describe, expect, it } from 'vitest'
import { app as honoApp } from '../../../examples/hono/app.js'
import '../../../examples/hono/context-variable-map.js'
import edge from '../../../examples/hono/edge.js'
import { app as envApp } from '../../../examples/hono/env.js'
import { app as onErrorApp } from '../../../examples/hono/on-error.js'
import honoQuickStart from '../../../examples/hono/quick-start.js'
import { app as untypedApp } from '../../../examples/hono/untyped-app.js'
import { app as koaApp } from '../../../examples/koa/app.js'
import { app as koaQuickStart } from '../../../examples/koa/quick-start.js'
import '../../../examples/koa/typing.js'
import { gettingStarted } from '../src/getting-started.js'
import { listen, listenFetch, type Served } from '../src/serve.js'

// The Koa and Hono examples the READMEs and the site quote, served on 127.0.0.1.

let served: Served | undefined
afterEach(async () => {
  await served?.close()
  served = undefined
})
const track = (server: Served) => {
  served = server
  return server.url
}

describe('examples/koa', () => {
  it('quick-start.ts counts visits, logs in with a new id, logs out with ctx.session = null', async () => {
    const url = track(await listen(koaQuickStart.callback()))
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).json()).toEqual({ views: 1 })
    expect(await (await send(url, '/', { jar })).json()).toEqual({ views: 2 })
    const before = jar.header()
    expect(await (await send(url, '/login', { jar })).json()).toEqual({ views: 3 })
    expect(jar.header()).not.toBe(before)
    const logout = await send(url, '/logout', { jar })
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/)
    expect(await (await send(url, '/', { jar })).json()).toEqual({ views: 1 })
  })

  it('app.ts (getting started): CSRF, a failed login, login with flash, logout', async () => {
    await gettingStarted(track(await listen(koaApp.callback())))
  })
})

describe('examples/hono', () => {
  it('quick-start.ts counts visits and refuses a login POST without the CSRF token', async () => {
    const url = track(await listenFetch(honoQuickStart.fetch))
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).text()).toBe('1 views')
    expect(await (await send(url, '/', { jar })).text()).toBe('2 views')
    expect((await send(url, '/login', { method: 'POST', jar })).status).toBe(403)
  })

  it('app.ts (getting started): CSRF, a failed login, login with flash, logout', async () => {
    await gettingStarted(track(await listenFetch(honoApp.fetch)))
  })

  it("on-error.ts answers each of Tessera's errors and Hono's own", async () => {
    const url = track(await listenFetch(onErrorApp.fetch))
    const text = async (path: string, method = 'GET') => {
      const response = await send(url, path, { method })
      return `${response.status} ${await response.text()}`
    }
    expect(await text('/form', 'POST')).toBe('403 Form expired, reload the page')
    expect(await text('/store-down')).toBe('503 Please try again shortly')
    expect(await text('/private')).toBe('401 Sign in first')
    expect(await text('/bug')).toBe('500 Internal Server Error')
  })

  it('env.ts combines the session variables with its own and with bindings', async () => {
    const env = { SESSION_SECRET: 'a binding, as Workers pass it' }
    const url = track(await listenFetch((request) => envApp.fetch(request, env)))
    const body = (await (await send(url, '/')).json()) as Record<string, unknown>
    expect(body).toMatchObject({ views: 1, hasSecret: true })
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('untyped-app.ts reads the session typed by the ContextVariableMap augmentation', async () => {
    const url = track(await listenFetch(untypedApp.fetch))
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).text()).toBe('1')
    expect(await (await send(url, '/', { jar })).text()).toBe('2')
  })

  it('edge.ts keeps the session sealed in the cookie, the secret from a binding', async () => {
    const env = { SESSION_SECRET: process.env.SESSION_SECRET! }
    const url = track(await listenFetch((request) => edge.fetch(request, env)))
    const jar = new CookieJar()
    expect(await (await send(url, '/', { jar })).text()).toBe('1 views')
    expect(jar.header()!.length, 'the cookie holds the sealed session').toBeGreaterThan(100)
    expect(await (await send(url, '/', { jar })).text()).toBe('2 views')
  })
})
