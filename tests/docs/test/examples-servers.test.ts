import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { gettingStarted } from '../src/getting-started.js'

// The getting-started pages end with examples/<adapter>/server.ts, which listens as soon as
// it is imported: each test imports one on a free port of 127.0.0.1 (PORT=0) and runs the
// page's whole flow against it, then closes it.

let server: Pick<Server, 'close' | 'address' | 'listening' | 'once'> | undefined
beforeEach(() => {
  process.env.PORT = '0'
  process.env.HOST = '127.0.0.1'
})
afterEach(async () => {
  await new Promise((done) => server?.close(done) ?? done(undefined))
  server = undefined
})

async function urlOf(listening: NonNullable<typeof server>): Promise<string> {
  server = listening
  if (!listening.listening) await new Promise((done) => listening.once('listening', done))
  const { address, port } = listening.address() as AddressInfo
  expect(address).toBe('127.0.0.1')
  return `http://127.0.0.1:${port}`
}

describe('examples/*/server.ts (the getting-started pages, run as written)', () => {
  it('express/server.ts serves app.ts: CSRF, flash, login, logout', async () => {
    const { server: express } = await import('../../../examples/express/server.js')
    await gettingStarted(await urlOf(express))
  })

  it('koa/server.ts serves app.ts: CSRF, flash, login, logout', async () => {
    const { server: koa } = await import('../../../examples/koa/server.js')
    await gettingStarted(await urlOf(koa))
  })

  it('hono/server.ts serves app.ts on @hono/node-server: CSRF, flash, login, logout', async () => {
    const { server: hono } = await import('../../../examples/hono/server.js')
    await gettingStarted(await urlOf(hono as unknown as Server))
  })
})
