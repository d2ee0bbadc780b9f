import { fixed, markdownTable, redisCell, signed, thousands } from './format.mjs'

const HOW_MEASURED = (s, machine) =>
  `Each server runs as its own child process (\`node bench/servers/<framework>.mjs\`, \
NODE_ENV=production), ${machine.pinning ? 'pinned to CPU 1 while the load generator and the private Redis run on CPU 0 (taskset)' : 'not pinned to a CPU'}, \
on 127.0.0.1. The load generator is autocannon's programmatic API with ${s.connections} keep-alive \
connections. One session per connection: a setup step mints a cookie per connection (one \`/hit\` \
each, so every session holds \`views: 1\` and exists in the store), each connection sends its own \
cookie and follows every Set-Cookie it receives, as a browser would; the contended run starts all \
connections on one session. Each window mints its sessions, warms up ${s.warmupSeconds} s on the same \
route, then measures ${s.windowSeconds} s. Libraries run one after another, interleaved (bare, A, B, …, \
bare, A, B, …), ${s.repetitions} repetitions; every figure is the median over repetitions. \
req/s counts every response; p50/p99 come from a 10 µs histogram of response times. \
"× bare" is req/s divided by the bare framework's req/s on the same route in the same repetition, \
median over repetitions (so are "× incumbent" and "added µs": each pass is compared with itself). \
"× incumbent" compares a Tessera store with the incumbent keeping sessions the same way \
(express-session MemoryStore / connect-redis; koa-session with the ioredis store, and for Koa's \
MemoryStore and CookieStore koa-session's default cookie; hono-sessions MemoryStore / CookieStore); \
the SQL stores have no incumbent here. "new cookie /req" is how often a connection's cookies \
changed per response (a Set-Cookie with a new value). "CPU %" is each process's CPU use over \
the window, "waiting %" the time its main thread was runnable but waited for a CPU that other \
processes held (\`/proc/<pid>/schedstat\`): high waiting means a noisy run. Server CPU µs per request is the server process's \
utime + stime (\`/proc/<pid>/stat\`, all threads) over the measured window divided by the responses; \
"added µs" is that minus bare's on the same route. Redis commands per request come from \
\`INFO commandstats\` of a private redis-server the bench starts (CONFIG RESETSTAT before each \
window); Redis counts the commands a Lua script runs as well as the EVALSHA itself. The \
lost-update check sends ${s.lostUpdateRequests} concurrent \`/append?i=N\` requests with one session's cookie, \
each on its own connection, then reads the items back with the cookie a browser would hold last. \
Routes: \`/read\` reads \`views\`, \`/hit\` increments it (Tessera with \`session.update\`, the incumbents \
by read-modify-write), \`/noop\` never touches the session. Every library is set up as its README \
recommends (express-session: \`resave: false, saveUninitialized: false\`; koa-session: signed, \
maxAge 1 day; hono-sessions: an encryption key, 1-day rolling expiry; Tessera: defaults, \
\`cookie.secure: false\` for plain HTTP; Redis clients: ioredis with auto-pipelining for all).`

function libraryRow(row, lostUpdate) {
  const m = row.median
  const lost = lostUpdate === undefined ? '' : `${lostUpdate.kept}/${lostUpdate.sent}`
  return [
    row.libraryLabel,
    row.scenarioLabel,
    thousands(m.rps),
    fixed(m.p50, 2),
    fixed(m.p99, 2),
    row.library === 'bare' ? '1' : fixed(row.ratioToBare, 2),
    row.ratioToIncumbent === undefined ? '' : fixed(row.ratioToIncumbent, 2),
    fixed(m.cpuUsPerRequest, 1),
    row.library === 'bare' ? '' : signed(row.addedUsOverBare, 1),
    redisCell(m.redisCommands),
    fixed(m.cookieChangesPerRequest, 2),
    `${fixed(m.serverCpuPercent, 0)} (${fixed(m.serverWaitPercent, 0)}) / ${fixed(m.loadCpuPercent, 0)} (${fixed(m.loadWaitPercent, 0)})`,
    m.failedResponses === 0 ? '' : String(m.failedResponses),
    lost,
  ]
}

const HEADER = [
  'library',
  'route',
  'req/s',
  'p50 ms',
  'p99 ms',
  '× bare',
  '× incumbent',
  'server CPU µs/req',
  'added µs over bare',
  'Redis cmds/req',
  'new cookie /req',
  'CPU % (waiting %) server / load',
  'failed',
  'lost-update kept',
]

/** The detailed table of one framework, rows grouped by library. */
export function frameworkTable(framework, rows, lostUpdates) {
  const ordered = framework.libraries.flatMap((library) =>
    framework.scenarios
      .map((s) =>
        rows.find(
          (r) => r.framework === framework.id && r.library === library.id && r.scenario === s.id,
        ),
      )
      .filter((r) => r !== undefined),
  )
  return markdownTable(
    HEADER,
    ordered.map((row, i) => {
      const first = i === 0 || ordered[i - 1].library !== row.library
      const lost = lostUpdates.find(
        (l) => l.framework === framework.id && l.library === row.library,
      )
      return libraryRow(row, first ? lost : undefined)
    }),
  )
}

function ratioPair(rows, framework, library) {
  const ratio = (scenario) =>
    rows.find((r) => r.framework === framework && r.library === library && r.scenario === scenario)
      ?.ratioToBare
  const read = ratio('read')
  if (read === undefined) return '–'
  return `${fixed(read, 2)} · ${fixed(ratio('hit'), 2)}`
}

function headline(plan, rows) {
  const libs = ['tessera/memory', 'tessera/redis', 'tessera/cookie']
  return markdownTable(
    [
      'framework',
      'bare req/s (/read)',
      'Tessera MemoryStore /read · /hit',
      'RedisStore /read · /hit',
      'CookieStore /read · /hit',
      'incumbents /read · /hit',
      'added µs, MemoryStore /read · /hit',
    ],
    plan.frameworks.map((f) => {
      const bare = rows.find(
        (r) => r.framework === f.id && r.library === 'bare' && r.scenario === 'read',
      )
      const incumbents = f.libraries
        .filter((l) => l.lib !== 'tessera' && l.lib !== 'bare')
        .map((l) => `${l.label} ${ratioPair(rows, f.id, l.id)}`)
        .join('; ')
      const added = (scenario) =>
        rows.find(
          (r) => r.framework === f.id && r.library === 'tessera/memory' && r.scenario === scenario,
        )?.addedUsOverBare
      return [
        f.label,
        thousands(bare?.median.rps),
        ...libs.map((l) => ratioPair(rows, f.id, l)),
        incumbents,
        `${signed(added('read'), 1)} · ${signed(added('hit'), 1)}`,
      ]
    }),
  )
}

/**
 * Who limited the bare server: itself (its CPU near 100 %), the load generator, or neither,
 * which means other processes took the CPUs and the figures are mostly noise.
 */
export function saturationNote(framework, rows) {
  const bare = rows.filter((r) => r.framework === framework.id && r.library === 'bare')
  const server = Math.min(...bare.map((r) => r.median.serverCpuPercent))
  const load = Math.max(...bare.map((r) => r.median.loadCpuPercent))
  const wait = Math.max(...bare.map((r) => r.median.serverWaitPercent))
  const figures =
    `bare ${framework.label} used ${fixed(server, 0)} % or more of its CPU, the load generator ` +
    `at most ${fixed(load, 0)} % of its own; the server waited for its CPU up to ` +
    `${fixed(wait, 0)} % of the time`
  if (server >= 85) return `${figures}: the server was the limit, as it should be.`
  if (load >= 85) {
    return `${figures}: the load generator was the limit; ratios understate the gap, read server CPU µs per request.`
  }
  return `**${figures}: neither was saturated, other processes took the CPUs during this run; treat these figures as noise.**`
}

/** bench/RESULTS.md. */
export function resultsMarkdown(results, suffix = '') {
  const { plan, rows, lostUpdates, machine, versions, ceiling, skipped } = results
  const s = plan.settings
  const out = []
  out.push('# Tessera end-to-end benchmark')
  out.push('')
  out.push(
    `Written by \`pnpm bench${results.arguments}\` on ${results.date} ` +
      `(commit ${machine.commit}, ${plan.mode} run, ${fixed(results.durationSeconds / 60, 1)} min). ` +
      `Machine-readable: [results${suffix}.json](results${suffix}.json). A benchmark` +
      ' prints figures; it is not a test. ' +
      'Ratios vary between runs on a shared machine: compare rows of one run, and read server CPU ' +
      'µs per request alongside them.',
  )
  out.push('')
  out.push(`![Ratio of req/s to the bare framework](results${suffix}.svg)`)
  out.push('')
  out.push('## Headline (ratio of req/s to the bare framework, same run)')
  out.push('')
  out.push(headline(plan, rows))
  out.push('')
  out.push('## How measured')
  out.push('')
  out.push(HOW_MEASURED(s, machine))
  out.push('')
  out.push(
    `Load generator ceiling: ${thousands(ceiling.rps)} req/s against a bare node:http server, ` +
      'the better of a window before and one after the frameworks ' +
      `(server CPU ${fixed(ceiling.serverCpuPercent, 0)} %, load generator CPU ` +
      `${fixed(ceiling.loadCpuPercent, 0)} %). A bare framework near that figure, or a row whose ` +
      "load CPU is near 100 % while the server's is not, is limited by the load generator: its " +
      'ratio understates the gap, and server CPU µs per request is the figure to read.',
  )
  if (skipped.length > 0) {
    out.push('')
    out.push(`Not measured: ${skipped.join('; ')}.`)
  }
  out.push('')
  out.push('## Machine')
  out.push('')
  out.push(
    markdownTable(
      [
        'CPU',
        'cores',
        'memory',
        'Node.js',
        'OS',
        'load average at start',
        'pinning',
        'Redis',
        'PostgreSQL',
      ],
      [
        [
          machine.cpuModel,
          String(machine.cores),
          `${machine.memoryGiB} GiB`,
          machine.node,
          machine.os,
          machine.loadAverage.map((n) => n.toFixed(1)).join(' '),
          machine.pinningNote,
          results.redisVersion ?? '–',
          results.postgresVersion ?? '–',
        ],
      ],
    ),
  )
  for (const framework of plan.frameworks) {
    out.push('')
    out.push(`## ${framework.label}`)
    out.push('')
    out.push(frameworkTable(framework, rows, lostUpdates))
    out.push('')
    out.push(saturationNote(framework, rows))
  }
  out.push('')
  out.push('## Versions')
  out.push('')
  out.push(markdownTable(['package', 'version'], Object.entries(versions)))
  out.push('')
  return out.join('\n')
}
