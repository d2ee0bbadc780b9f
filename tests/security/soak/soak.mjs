// The soak: `pnpm soak [--minutes N] [--rate R] [--stores memory,redis]`. For each store, an
// Express app in its own process takes R requests/s for N minutes (default 5, 1000 req/s):
// half create new sessions, half read one of 1000 existing ones. RSS, heap and req/s are
// sampled every second; the chart and the summary go to docs/soak/. Not a test: it prints
// figures and says whether memory levelled off and throughput held.
import { fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPrivateRedis } from '@tessera/bench/redis-server'
import autocannon from 'autocannon'
import { analyse, soakSvg, summaryMarkdown } from './soak-report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const outDir = resolve(here, '../../../docs/soak')
const args = parseArgs(process.argv.slice(2))
const log = (line) => process.stdout.write(`${line}\n`)

const cleanups = []
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    for (const step of cleanups.reverse()) await step().catch(() => {})
    process.exit(130)
  })
}

try {
  const runs = []
  for (const store of args.stores) {
    log(`soak: ${store}, ${args.minutes} min at ${args.rate} req/s…`)
    runs.push(await soak(store))
    log(`soak: ${store} done: ${describe(runs.at(-1).analysis)}`)
  }
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, 'soak.svg'), soakSvg(runs))
  writeFileSync(join(outDir, 'SUMMARY.md'), summaryMarkdown(runs, machine()))
  log(`soak: wrote ${join(outDir, 'soak.svg')} and SUMMARY.md`)
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  for (const step of cleanups.reverse()) await step().catch(() => {})
}

function parseArgs(argv) {
  const options = { minutes: 5, rate: 1000, stores: ['memory', 'redis'] }
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=')
    const value = inline ?? argv[++i]
    if (name === '--minutes') options.minutes = Number(value)
    else if (name === '--rate') options.rate = Number(value)
    else if (name === '--stores') options.stores = value.split(',')
    else throw new Error(`unknown option ${name}: use --minutes N, --rate R, --stores memory,redis`)
  }
  if (!(options.minutes > 0) || !(options.rate > 0))
    throw new Error('--minutes and --rate must be positive')
  return options
}

async function soak(store) {
  const storeArg = store === 'memory' ? '20000' : await privateRedis()
  const child = fork(join(here, 'soak-server.mjs'), [store, storeArg], { stdio: 'inherit' })
  let last = null
  const port = await new Promise((resolvePort, reject) => {
    child.on('message', (message) => {
      if (message.port) resolvePort(message.port)
      else last = message
    })
    child.once('exit', (code) => reject(new Error(`soak server exited with ${code}`)))
  })
  const stopChild = async () => {
    if (child.connected) child.disconnect()
    await new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)))
  }
  cleanups.push(stopChild)
  const url = `http://127.0.0.1:${port}`
  const cookies = await seed(url, 1000)

  const samples = []
  let responses = 0
  let errors = 0
  let latencySum = 0
  const started = Date.now()
  const sampler = setInterval(() => {
    samples.push({
      t: Math.round((Date.now() - started) / 1000),
      rps: responses,
      errors,
      latencyMs: responses > 0 ? latencySum / responses : 0,
      rss: last?.rss ?? 0,
      heapUsed: last?.heapUsed ?? 0,
      storeSize: last?.storeSize ?? null,
    })
    responses = 0
    errors = 0
    latencySum = 0
  }, 1000)
  const seconds = Math.round(args.minutes * 60)
  const count = (instance) =>
    instance.on('response', (_client, status, _bytes, ms) => {
      responses++
      latencySum += ms
      if (status !== 200) errors++
    })
  const load = (options) =>
    new Promise((done, reject) => {
      count(
        autocannon({ url, duration: seconds, timeout: 10, ...options }, (error, result) =>
          error ? reject(error) : done(result),
        ),
      )
    })
  const results = await Promise.all([
    load({
      connections: 4,
      overallRate: Math.ceil(args.rate / 2),
      requests: [{ method: 'POST', path: '/visit' }],
    }),
    load({
      connections: 4,
      overallRate: Math.ceil(args.rate / 2),
      requests: [
        {
          method: 'GET',
          path: '/visit',
          setupRequest: (request) => ({
            ...request,
            headers: {
              ...request.headers,
              cookie: cookies[Math.floor(Math.random() * cookies.length)],
            },
          }),
        },
      ],
    }),
  ])
  clearInterval(sampler)
  const alive = await countAlive(url, cookies)
  await stopChild()
  return {
    store,
    label:
      store === 'memory' ? 'MemoryStore (maxEntries 20 000)' : 'RedisStore (private redis-server)',
    rate: args.rate,
    minutes: args.minutes,
    samples,
    totals: {
      requests: results.reduce((sum, r) => sum + r.requests.total, 0),
      non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    },
    knownAlive: alive,
    analysis: analyse(samples, args.rate),
  }
}

/** Creates `count` sessions and returns their Cookie headers. */
async function seed(url, count) {
  const cookies = []
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/visit`, { method: 'POST' })
    const cookie = response.headers.getSetCookie()[0]?.split(';')[0]
    await response.arrayBuffer()
    if (!cookie) throw new Error('the soak app issued no cookie')
    cookies.push(cookie)
  }
  return cookies
}

/** How many of the seeded sessions still read back (they are read all along, so all should). */
async function countAlive(url, cookies) {
  let alive = 0
  for (const cookie of cookies) {
    const response = await fetch(`${url}/visit`, { headers: { cookie } })
    const body = await response.json()
    if (typeof body.visits === 'number') alive++
  }
  return alive
}

/** A private redis-server (temp dir, own port, no persistence) for the Redis soak. */
async function privateRedis() {
  const redis = await startPrivateRedis({})
  if (!redis) throw new Error('the private redis-server did not start (is redis-server installed?)')
  cleanups.push(() => redis.stop())
  return redis.url
}

function describe(a) {
  return `RSS ${a.rss.middleMb} → ${a.rss.lastMb} MB (${a.memoryLevelled ? 'levelled off' : 'still growing'}), ${a.rps.first} → ${a.rps.last} req/s (${a.throughputHeld ? 'held' : 'decayed'})`
}

function machine() {
  return {
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    command: `pnpm soak --minutes ${args.minutes} --rate ${args.rate} --stores ${args.stores.join(',')}`,
  }
}
