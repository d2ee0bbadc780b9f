// Tessera's cost per request through the Express adapter, without sockets or a load generator:
// synthetic requests go through a bare Express app and a Tessera one in alternating rounds, and
// the script prints each one's time and heap allocation per request and Tessera's difference.
// Wall-clock figures on a shared 2-core machine move between runs (take the minimum over
// rounds); allocated bytes per request are steady, and garbage is what the collector pays for.
//
//   node bench/express-in-process.mjs [--route=/read] [--cookies=none]
//
// Prints figures; not a test.
import { IncomingMessage, OutgoingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { PerformanceObserver } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { getHeapStatistics } from 'node:v8'
import { MemoryStore } from '@tessera/core'
import { session } from '@tessera/express'
import express from 'express'
import { SECRET, sessionOps } from './servers/common.mjs'

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value = 'true'] = arg.replace(/^--/, '').split('=')
    return [key, value]
  }),
)
const route = args.route ?? '/read'
const withCookie = args.cookies !== 'none'
const rounds = Number(args.rounds ?? 12)
const perRound = Number(args.requests ?? 2000)

// Finished responses are counted where Node's own end() returns, below every wrapper.
const nodeEnd = OutgoingMessage.prototype.end
let onEnd = () => {}
OutgoingMessage.prototype.end = function end(...endArgs) {
  const result = nodeEnd.apply(this, endArgs)
  onEnd()
  return result
}

function appFor(lib) {
  const app = express()
  const ops = sessionOps(lib)
  if (lib === 'tessera') {
    const store = new MemoryStore({ maxEntries: 200_000 })
    app.use(session({ secret: SECRET, store, cookie: { secure: false } }))
  }
  app.get('/read', (req, res) => {
    res.send(String(ops.views(lib === 'bare' ? undefined : req.session)))
  })
  app.get('/hit', (req, res) => {
    res.send(String(ops.hit(lib === 'bare' ? undefined : req.session)))
  })
  app.get('/noop', (_req, res) => {
    res.send('ok')
  })
  return app
}

const socket = new Socket()
function request(app, path, cookie) {
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = path
  req.headers = cookie ? { host: '127.0.0.1', cookie } : { host: '127.0.0.1' }
  req.rawHeaders = []
  req.complete = true
  req.push(null)
  const res = new ServerResponse(req)
  const done = new Promise((resolve) => {
    onEnd = resolve
  })
  app(req, res)
  return { res, done }
}

/** Cookies for 50 sessions, as the end-to-end bench's one-session-per-connection load. */
async function mintCookies(app) {
  const cookies = []
  for (let i = 0; i < 50; i++) {
    const { res, done } = request(app, '/hit')
    await done
    const header = res.getHeader('set-cookie')
    cookies.push((Array.isArray(header) ? header[0] : header).split(';')[0])
  }
  return cookies
}

let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

async function round(app, cookies, count) {
  const gcBefore = collections
  const heapBefore = getHeapStatistics().used_heap_size
  const start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    const { done } = request(app, route, cookies[i % cookies.length])
    await done
  }
  const ns = Number(process.hrtime.bigint() - start)
  const heapAfter = getHeapStatistics().used_heap_size
  // Bytes are only meaningful when no collection ran during the round.
  const bytes = collections === gcBefore ? (heapAfter - heapBefore) / count : undefined
  return { us: ns / 1000 / count, bytes }
}

// Each library runs in its own process (Tessera guards Express's shared request prototype, which
// would change the bare app too); the parent asks them for rounds in turn, never at once.
if (args.child || args.solo) {
  const lib = args.child ?? args.solo
  const app = appFor(lib)
  const cookies = !withCookie
    ? [undefined]
    : lib === 'bare'
      ? Array.from({ length: 50 }, (_, i) => `tessera=x${i}`)
      : await mintCookies(app)
  await round(app, cookies, 5000) // warm-up
  if (args.solo) {
    // For a profiler (node --cpu-prof ... --solo=tessera): this library alone, no figures.
    // --allocations: where the bytes are allocated, garbage included (the heap profiler's
    // own --heap-prof only reports what is still alive).
    const sampling = args.allocations ? await startAllocationSampling() : undefined
    for (let r = 0; r < rounds; r++) await round(app, cookies, perRound)
    if (sampling) await sampling.report(rounds * perRound)
    process.exit(0)
  }
  process.on('message', async () => {
    if (globalThis.gc) globalThis.gc()
    process.send(await round(app, cookies, perRound))
  })
  process.send('ready')
} else {
  const { fork } = await import('node:child_process')
  const children = {}
  for (const lib of ['bare', 'tessera']) {
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
  const ask = (lib) =>
    new Promise((resolve) => {
      children[lib].once('message', resolve)
      children[lib].send('round')
    })
  const results = { bare: [], tessera: [] }
  for (let r = 0; r < rounds; r++) {
    for (const lib of r % 2 === 0 ? ['bare', 'tessera'] : ['tessera', 'bare']) {
      results[lib].push(await ask(lib))
    }
  }
  for (const child of Object.values(children)) child.kill()
  report(results)
}

function report(results) {
  const min = (values) => Math.min(...values)
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]
  }
  const summary = {}
  for (const lib of Object.keys(results)) {
    const us = results[lib].map((r) => r.us)
    const bytes = results[lib].map((r) => r.bytes).filter((b) => b != null)
    summary[lib] = {
      'min µs': Number(min(us).toFixed(1)),
      'median µs': Number(median(us).toFixed(1)),
      'bytes/request': bytes.length ? Math.round(median(bytes)) : undefined,
    }
  }
  console.log(
    `Express ${route}${withCookie ? '' : ' (no cookie)'}, ${rounds} rounds × ${perRound} requests`,
  )
  console.table(summary)
  const added = (key) => (summary.tessera[key] - summary.bare[key]).toFixed(1)
  const bytes =
    summary.tessera['bytes/request'] !== undefined && summary.bare['bytes/request'] !== undefined
      ? summary.tessera['bytes/request'] - summary.bare['bytes/request']
      : '? (a collection ran in every round)'
  console.log(
    `Tessera adds ${added('min µs')} µs (min) · ${added('median µs')} µs (median) · ${bytes} bytes`,
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
    async report(requests) {
      const { profile } = await inspector.post('HeapProfiler.stopSampling')
      const bySite = new Map()
      const visit = (node, stack) => {
        const frame = node.callFrame
        const where = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/packages\//, '')}:${frame.lineNumber + 1}`
        if (node.selfSize > 0) bySite.set(where, (bySite.get(where) ?? 0) + node.selfSize)
        for (const child of node.children) visit(child, stack)
      }
      visit(profile.head, [])
      let total = 0
      for (const size of bySite.values()) total += size
      console.log(`allocated ≈ ${Math.round(total / requests)} bytes per request; by function:`)
      for (const [where, size] of [...bySite]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(args.top ?? 40))) {
        console.log(`${String(Math.round(size / requests)).padStart(7)}  ${where}`)
      }
    },
  }
}
