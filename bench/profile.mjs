// Where a server's CPU goes under load: runs one benchmark server under `node --cpu-prof`,
// drives it like `pnpm bench` does (one session per connection), and prints the server's CPU
// time per request and the functions with the most self time, grouped by where they live.
//
//   node bench/profile.mjs --fw=express --lib=tessera --store=memory --route=/read --seconds=8
//
// A profile is for finding causes; the figures to quote come from `pnpm bench`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { flagsOf } from './lib/args.mjs'
import { mintSessions } from './lib/http-client.mjs'
import { generateLoad } from './lib/load-generator.mjs'
import { cpuMicrosOf, startServer } from './lib/server-process.mjs'

const args = flagsOf(process.argv.slice(2))
const fw = args.fw ?? 'express'
const lib = args.lib ?? 'tessera'
const store = args.store ?? 'memory'
const route = args.route ?? '/read'
const seconds = Number(args.seconds ?? 8)
const connections = Number(args.connections ?? 50)
const cookies = args.cookies !== 'none'

const dir = mkdtempSync(join(tmpdir(), 'tessera-profile-'))
const server = await startServer({
  name: `${fw} ${lib}`,
  file: fileURLToPath(new URL(`./servers/${fw}.mjs`, import.meta.url)),
  env: {
    BENCH_LIB: lib,
    BENCH_STORE: store,
  },
  nodeArgs:
    args.profile === 'false'
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'],
  cpu: args.cpu === undefined ? 1 : Number(args.cpu),
})
try {
  const jars = cookies && lib !== 'bare' ? await mintSessions(server.url, connections) : []
  await generateLoad({ url: `${server.url}${route}`, connections, seconds: 2, jars }) // warm-up
  const before = cpuMicrosOf(server.pid)
  const load = await generateLoad({ url: `${server.url}${route}`, connections, seconds, jars })
  const used = cpuMicrosOf(server.pid) - before
  console.log(
    `${fw} ${lib} ${store} ${route}${cookies ? '' : ' (no cookie)'}: ${Math.round(load.responses / seconds)} req/s, ${(used / load.responses).toFixed(1)} µs server CPU per request`,
  )
} finally {
  await server.stop()
}
if (args.profile !== 'false') {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'))
  if (!file) throw new Error('no profile was written')
  report(JSON.parse(readFileSync(join(dir, file), 'utf8')))
}
rmSync(dir, { recursive: true, force: true })

/** Self time by function and by the package (or part of Node) it belongs to. */
function report(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  const deltas = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    self.set(node, (self.get(node) ?? 0) + (deltas[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const idle = [...self]
    .filter(([n]) => n.callFrame.functionName === '(idle)')
    .reduce((a, [, t]) => a + t, 0)
  const busy = total - idle
  const fns = new Map()
  const areas = new Map()
  for (const [node, time] of self) {
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') continue
    const where = area(url, functionName)
    const name = `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`
    fns.set(name, (fns.get(name) ?? 0) + time)
    areas.set(where, (areas.get(where) ?? 0) + time)
  }
  const pct = (t) => `${((100 * t) / busy).toFixed(1).padStart(5)}%`
  console.log('\nbusy time by area:')
  for (const [name, time] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${pct(time)}  ${name}`)
  }
  console.log('\ntop functions by self time:')
  for (const [name, time] of [...fns]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(args.top ?? 30))) {
    console.log(`  ${pct(time)}  ${name}`)
  }
}

function area(url, functionName) {
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(program)') return 'V8 / native'
  if (!url) return 'native'
  const tessera = /packages\/(\w+)\/dist/.exec(url)
  if (tessera) return `@tessera/${tessera[1]}`
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg) return pkg[1]
  if (url.startsWith('node:')) return `node (${url.slice(5).split('/')[0]})`
  if (url.includes('/bench/')) return 'bench server'
  return url
}

function shortUrl(url) {
  return url
    .replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/^.*\/packages\//, '')
    .replace(/^file:\/\//, '')
}
