// Tessera's cost per request through an adapter, without sockets or a load generator: synthetic
// requests go through a bare app and a Tessera one (Express, Koa, or Hono on @hono/node-server's
// request listener) in alternating rounds, and the script prints each one's time and heap
// allocation per request and Tessera's difference.
// Wall-clock figures on a shared 2-core machine move between runs (take the minimum over
// rounds); allocated bytes per request are steady, and garbage is what the collector pays for.
//
//   node bench/in-process.mjs [--fw=express|koa|hono] [--route=/read] [--cookies=none]
//                             [--store=memory|cookie]
//
// Prints figures; not a test.
import { IncomingMessage, OutgoingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { CookieStore, MemoryStore } from '@tessera/core'
import { session as expressSession } from '@tessera/express'
import { session as honoSession } from '@tessera/hono'
import { session as koaSession } from '@tessera/koa'
import express from 'express'
import { Hono } from 'hono'
import Koa from 'koa'
import { flagsOf } from './lib/args.mjs'
import { SECRET, sessionOps } from './servers/common.mjs'

const args = flagsOf(process.argv.slice(2))
const fw = args.fw ?? 'express'
const route = args.route ?? '/read'
const withCookie = args.cookies !== 'none'
const rounds = Number(args.rounds ?? 12)
// --compare=a,b: the two apps to set side by side: bare, tessera, or vary (bare plus the least
// a session middleware must do: one middleware that adds `Vary: Cookie` to the response).
const [BASELINE, COMPARED] = (args.compare ?? 'bare,tessera').split(',')
const perRound = Number(args.requests ?? 2000)
// Tessera's store: MemoryStore, or CookieStore (the session sealed in the cookie).
const storeKind = args.store ?? 'memory'

// Finished responses are counted where Node's own end() returns, below every wrapper.
const nodeEnd = OutgoingMessage.prototype.end
let onEnd = () => {}
OutgoingMessage.prototype.end = function end(...endArgs) {
  const result = nodeEnd.apply(this, endArgs)
  onEnd()
  return result
}

/** A `(req, res)` listener for `lib` on `fw`, with the routes of the end-to-end bench. */
function appFor(lib) {
  const ops = sessionOps(lib === 'tessera' ? lib : 'bare')
  const store = () =>
    storeKind === 'cookie'
      ? new CookieStore({ keys: `${SECRET}-cookie-store-key` })
      : new MemoryStore({ maxEntries: 200_000 })
  const options = () => ({ secret: SECRET, store: store(), cookie: { secure: false } })
  const sessionOf = (value) => (lib === 'tessera' ? value : undefined)
  if (fw === 'express') {
    const app = express()
    if (lib === 'tessera') app.use(expressSession(options()))
    if (lib === 'vary') {
      app.use((_req, res, next) => {
        res.vary('Cookie')
        next()
      })
    }
    app.get('/read', (req, res) => res.send(String(ops.views(sessionOf(req.session)))))
    app.get('/hit', (req, res) => res.send(String(ops.hit(sessionOf(req.session)))))
    app.get('/noop', (_req, res) => res.send('ok'))
    return app
  }
  if (fw === 'koa') {
    const app = new Koa()
    if (lib === 'tessera') app.use(koaSession(options()))
    if (lib === 'vary') {
      app.use(async (ctx, next) => {
        await next()
        ctx.vary('Cookie')
      })
    }
    app.use((ctx) => {
      if (ctx.path === '/read') ctx.body = String(ops.views(sessionOf(ctx.session)))
      else if (ctx.path === '/hit') ctx.body = String(ops.hit(sessionOf(ctx.session)))
      else if (ctx.path === '/noop') ctx.body = 'ok'
      else ctx.status = 404
    })
    return app.callback()
  }
  if (fw === 'hono') {
    const app = new Hono()
    if (lib === 'tessera') app.use(honoSession(options()))
    if (lib === 'vary') {
      app.use(async (c, next) => {
        await next()
        c.res.headers.set('vary', 'Cookie')
      })
    }
    app.get('/read', (c) => c.text(String(ops.views(sessionOf(c.get('session'))))))
    app.get('/hit', (c) => c.text(String(ops.hit(sessionOf(c.get('session'))))))
    app.get('/noop', (c) => c.text('ok'))
    return getRequestListener(app.fetch)
  }
  throw new Error(`--fw=${fw}: expected express, koa or hono`)
}

const socket = new Socket()
/** One synthetic request; `onResponse` sees the response before the app does. */
function request(app, path, cookie, onResponse) {
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = path
  req.headers = cookie ? { host: '127.0.0.1', cookie } : { host: '127.0.0.1' }
  req.rawHeaders = Object.entries(req.headers).flat()
  req.complete = true
  req.push(null)
  const res = new ServerResponse(req)
  onResponse?.(res)
  const done = new Promise((resolve) => {
    onEnd = resolve
  })
  app(req, res)
  return done
}

/** Cookies for 50 sessions, as the end-to-end bench's one-session-per-connection load. */
async function mintCookies(app) {
  const cookies = []
  for (let i = 0; i < 50; i++) {
    let res
    let written
    await request(app, '/hit', undefined, (response) => {
      res = response
      // @hono/node-server hands its headers to writeHead() rather than setting them on `res`.
      const writeHead = response.writeHead
      response.writeHead = function keep(status, ...rest) {
        written = rest.find((arg) => typeof arg === 'object' && arg !== null)
        return writeHead.call(this, status, ...rest)
      }
    })
    const header = res.getHeader('set-cookie') ?? written?.['set-cookie']
    if (header === undefined) throw new Error('/hit set no cookie')
    cookies.push((Array.isArray(header) ? header[0] : header).split(';')[0])
  }
  return cookies
}

async function round(app, cookies, count) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    await request(app, route, cookies[i % cookies.length])
  }
  return { us: Number(process.hrtime.bigint() - start) / 1000 / count }
}

/** Bytes allocated per request over one round, garbage included, from heap sampling. */
async function allocationsPerRound(app, cookies, count) {
  const sampling = await startAllocationSampling()
  await round(app, cookies, count)
  return (await sampling.stop()).total / count
}

// Each library runs in its own process (Tessera guards Express's shared request prototype, which
// would change the bare app too, and each gets its own heap and JIT state); the parent asks them
// for rounds in turn, never at once.
if (args.child || args.solo) {
  const lib = args.child ?? args.solo
  const app = appFor(lib)
  const cookies = !withCookie
    ? [undefined]
    : lib !== 'tessera'
      ? Array.from({ length: 50 }, (_, i) => `tessera=x${i}`)
      : await mintCookies(app)
  await round(app, cookies, 5000) // warm-up
  if (args.solo) {
    // For a profiler (node --cpu-prof ... --solo=tessera): this library alone, no figures.
    // --allocations: where the bytes are allocated, garbage included (the heap profiler's
    // own --heap-prof only reports what is still alive).
    const sampling = args.allocations ? await startAllocationSampling() : undefined
    for (let r = 0; r < rounds; r++) await round(app, cookies, perRound)
    if (sampling) reportAllocations(await sampling.stop(), rounds * perRound)
    process.exit(0)
  }
  process.on('message', async (what) => {
    if (what === 'allocations') {
      process.send({ bytes: await allocationsPerRound(app, cookies, perRound) })
      return
    }
    if (globalThis.gc) globalThis.gc()
    process.send(await round(app, cookies, perRound))
  })
  process.send('ready')
} else {
  const { fork } = await import('node:child_process')
  const children = {}
  for (const lib of [BASELINE, COMPARED]) {
    const child = fork(
      fileURLToPath(import.meta.url),
      [...process.argv.slice(2), `--child=${lib}`],
      {
        execArgv: ['--expose-gc', '--max-semi-space-size=64'],
      },
    )
    await new Promise((resolve) => child.once('message', resolve))
    children[lib] = child
  }
  const ask = (lib, what = 'round') =>
    new Promise((resolve) => {
      children[lib].once('message', resolve)
      children[lib].send(what)
    })
  const results = { [BASELINE]: [], [COMPARED]: [] }
  for (let r = 0; r < rounds; r++) {
    for (const lib of r % 2 === 0 ? [BASELINE, COMPARED] : [COMPARED, BASELINE]) {
      results[lib].push(await ask(lib))
    }
  }
  // Allocation is counted after the timed rounds: sampling slows the process it samples.
  const bytes = {}
  for (const lib of [BASELINE, COMPARED]) bytes[lib] = (await ask(lib, 'allocations')).bytes
  for (const child of Object.values(children)) child.kill()
  report(results, bytes)
}

function report(results, bytes) {
  const min = (values) => Math.min(...values)
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }
  const summary = {}
  for (const lib of Object.keys(results)) {
    const us = results[lib].map((r) => r.us)
    summary[lib] = {
      'min µs': Number(min(us).toFixed(1)),
      'median µs': Number(median(us).toFixed(1)),
      'bytes/request': Math.round(bytes[lib]),
    }
  }
  console.log(
    `${fw} ${route}${withCookie ? '' : ' (no cookie)'}, ${rounds} rounds × ${perRound} requests`,
  )
  console.table(summary)
  const added = (key) => summary[COMPARED][key] - summary[BASELINE][key]
  console.log(
    `${COMPARED} adds ${added('min µs').toFixed(1)} µs (min) · ${added('median µs').toFixed(1)} µs (median) · ${added('bytes/request')} bytes allocated per request`,
  )
}

async function startAllocationSampling() {
  const { Session } = await import('node:inspector/promises')
  const inspector = new Session()
  inspector.connect()
  await inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  })
  return {
    /** Bytes allocated since the start, in all and by allocating function. */
    async stop() {
      const { profile } = await inspector.post('HeapProfiler.stopSampling')
      inspector.disconnect()
      const bySite = new Map()
      const visit = (node) => {
        const frame = node.callFrame
        const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/packages\//, '')}:${frame.lineNumber + 1}`
        if (node.selfSize > 0) bySite.set(where, (bySite.get(where) ?? 0) + node.selfSize)
        for (const child of node.children) visit(child)
      }
      visit(profile.head)
      let total = 0
      for (const size of bySite.values()) total += size
      return { total, bySite }
    },
  }
}

function reportAllocations({ total, bySite }, requests) {
  console.log(`allocated ≈ ${Math.round(total / requests)} bytes per request; by function:`)
  for (const [where, size] of [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(args.top ?? 40))) {
    console.log(`${String(Math.round(size / requests)).padStart(7)}  ${where}`)
  }
}
