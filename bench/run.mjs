// End-to-end benchmark: bare frameworks, Tessera and the incumbent session libraries, one
// after another on 127.0.0.1. `pnpm bench` (about 10 minutes) or `pnpm bench --quick` (about
// 2). Options: lib/args.mjs; what is measured: lib/plan.mjs; how: bench/README.md.
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { aggregate, sampleKey } from './lib/aggregate.mjs'
import { parseArgs } from './lib/args.mjs'
import { fixed, thousands } from './lib/format.mjs'
import { mintSessions } from './lib/http-client.mjs'
import { generateLoad } from './lib/load-generator.mjs'
import { lostUpdateCheck } from './lib/lost-update.mjs'
import { describeMachine, packageVersions, pinSelf } from './lib/machine.mjs'
import { measureWindow } from './lib/measure.mjs'
import { estimate, makePlan, measures } from './lib/plan.mjs'
import { frameworkTable, resultsMarkdown, saturationNote } from './lib/report-markdown.mjs'
import { resultsSvg } from './lib/report-svg.mjs'
import { startServer } from './lib/server-process.mjs'
import { prepareServices, serverEnv } from './lib/services.mjs'

const BENCH_DIR = dirname(fileURLToPath(import.meta.url))
const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const argv = process.argv.slice(2)
const { quick, only, overrides } = parseArgs(argv)
const started = Date.now()
const log = (line) => process.stdout.write(`${line}\n`)

const machine = describeMachine()
if (machine.pinning !== undefined) pinSelf(machine.pinning.load)
const cleanups = []
const cleanUp = async () => {
  for (let step = cleanups.pop(); step !== undefined; step = cleanups.pop()) {
    await step().catch(() => {})
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => cleanUp().finally(() => process.exit(130)))
}

try {
  await main()
} catch (error) {
  process.exitCode = 1
  console.error(error)
} finally {
  // Servers, the private Redis, the PostgreSQL table and the SQLite files, also after a failure.
  await cleanUp()
}

async function main() {
  const stores = new Set(
    makePlan({ quick, only, overrides }).frameworks.flatMap((f) => f.libraries.map((l) => l.store)),
  )
  const services = await prepareServices({
    stores,
    cpu: machine.pinning?.load,
    postgresUrl: POSTGRES_URL,
    cleanups,
    log,
  })
  const plan = makePlan({ quick, only, overrides, unavailable: services.unavailable })
  const { settings } = plan
  const planned = estimate(plan)
  log(
    `tessera bench (${plan.mode}${plan.custom ? ', custom' : ''}): ${planned.windows} windows of ` +
      `${settings.warmupSeconds} s warm-up + ${settings.windowSeconds} s, ${settings.repetitions} ` +
      `repetitions, ${settings.connections} connections; about ${fixed(planned.seconds / 60, 1)} min. ` +
      `${machine.pinningNote}.`,
  )

  async function start(name, file, env = {}) {
    const server = await startServer({
      name,
      file: join(BENCH_DIR, 'servers', file),
      env,
      cpu: machine.pinning?.server,
    })
    cleanups.push(() => server.stop())
    return server
  }

  // The load generator's own ceiling, against the smallest node:http server: measured before
  // and after the frameworks, the higher one reported (a busy machine pulls either down).
  const measureCeiling = async () => {
    const server = await start('node:http', 'node-http.mjs')
    const scenario = { path: '/', cookies: 'none' }
    const result = await measureWindow({ server, scenario, settings })
    await server.stop()
    log(
      `load generator ceiling: ${thousands(result.rps)} req/s ` +
        `(load generator CPU ${fixed(result.loadCpuPercent, 0)} %)`,
    )
    return result
  }
  const ceilings = [await measureCeiling()]

  const samples = new Map()
  const lostUpdates = []
  let windowNumber = 0
  for (const framework of plan.frameworks) {
    const servers = new Map()
    await Promise.all(
      framework.libraries.map(async (library) => {
        const env = serverEnv(services, framework, library, POSTGRES_URL)
        servers.set(library.id, await start(`${framework.id} ${library.id}`, framework.server, env))
      }),
    )
    // A first warm-up per server, so the first window does not pay for JIT compilation.
    for (const library of framework.libraries) {
      const server = servers.get(library.id)
      await generateLoad({
        url: `${server.url}/hit`,
        connections: settings.connections,
        seconds: settings.serverWarmupSeconds,
        jars: await mintSessions(server.url, settings.connections),
      })
    }

    // Interleaved: bare, A, B, …, then again, for each scenario.
    for (const scenario of framework.scenarios) {
      for (let rep = 1; rep <= settings.repetitions; rep++) {
        for (const library of framework.libraries.filter((l) => measures(l, scenario))) {
          const result = await measureWindow({
            server: servers.get(library.id),
            scenario,
            settings,
            redis: library.store === 'redis' ? services.redis : undefined,
          })
          const key = sampleKey(framework, library, scenario)
          samples.set(key, [...(samples.get(key) ?? []), result])
          const failed = result.non2xx + result.errors + result.timeouts
          log(
            `[${++windowNumber}/${planned.windows}] ${framework.id} ${library.id} ${scenario.label} ` +
              `rep ${rep}: ${thousands(result.rps)} req/s, ${fixed(result.cpuUsPerRequest, 1)} µs/req` +
              (failed > 0 ? `, ${failed} FAILED` : ''),
          )
        }
      }
    }

    for (const library of framework.libraries.filter((l) => l.id !== 'bare')) {
      const check = await lostUpdateCheck(servers.get(library.id).url, settings.lostUpdateRequests)
      lostUpdates.push({ framework: framework.id, library: library.id, ...check })
      log(`lost-update check ${framework.id} ${library.id}: kept ${check.kept} of ${check.sent}`)
    }
    await Promise.all([...servers.values()].map((s) => s.stop()))
  }

  ceilings.push(await measureCeiling())
  const ceiling = ceilings.reduce((best, c) => (c.rps > best.rps ? c : best))
  const rows = aggregate(plan, samples)
  const results = {
    arguments: argv.map((a) => ` ${a}`).join(''),
    date: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine,
    versions: packageVersions(),
    redisVersion: services.redis?.version,
    postgresVersion: services.postgres?.version,
    plan,
    ceiling,
    ceilings,
    skipped: services.skipped,
    rows,
    lostUpdates,
  }
  // A development run (--quick, --only, overrides) writes beside the full results, not over them.
  const suffix = plan.mode === 'full' && !plan.custom ? '' : '.dev'
  const json = `${JSON.stringify(results, jsonNumbers, 2)}\n`
  writeFileSync(join(BENCH_DIR, `results${suffix}.json`), json)
  // The tables and the chart are drawn from the numbers as saved, so a figure rounds the same
  // way in RESULTS.md as from results.json (the README's headline is checked against the JSON).
  const saved = JSON.parse(json)
  writeFileSync(join(BENCH_DIR, `RESULTS${suffix}.md`), resultsMarkdown(saved, suffix))
  writeFileSync(join(BENCH_DIR, `results${suffix}.svg`), resultsSvg(saved))

  for (const framework of plan.frameworks) {
    log(`\n${framework.label}\n${frameworkTable(framework, rows, lostUpdates)}`)
    log(saturationNote(framework, rows))
  }
  log(
    `\nwrote bench/RESULTS${suffix}.md, bench/results${suffix}.json, bench/results${suffix}.svg ` +
      `in ${fixed(results.durationSeconds / 60, 1)} min`,
  )
}

/** NaN and Infinity become null; fractions keep 5 significant digits. */
function jsonNumbers(_key, value) {
  if (typeof value !== 'number') return value
  if (!Number.isFinite(value)) return null
  return Number.isInteger(value) ? value : Number(value.toPrecision(5))
}
