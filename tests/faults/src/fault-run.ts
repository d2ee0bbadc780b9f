import type { SessionOptions, SessionStore } from '@tessera/core'
import {
  ADAPTERS,
  BulkClient,
  COOKIE_NAME,
  mapConcurrent,
  parseSetCookie,
  type SecurityApp,
  SUITE_SECRET,
  sleep,
} from '@tessera/security-tests/apps'
import { type LoadSample, startLoad } from './load.js'

/** One fault: how to cause it and how (if at all) to end it. */
export interface FaultScenario {
  /** e.g. `'Redis killed (SIGKILL) and restarted'`. */
  name: string
  /** The store every app uses (one backend shared by the Express, Koa and Hono apps). */
  store: SessionStore
  /** Extra session options (the suite sets `storeTimeout: 1000`). */
  sessionOptions?: Partial<SessionOptions>
  /** Puts the fault in place. */
  inject(): Promise<void>
  /** Ends it (restart the server, stop killing connections); absent when the system heals itself. */
  repair?(): Promise<void>
  /** How long the fault stands before `repair`. Default 3000 ms. */
  faultMs?: number
  /** Sessions written (and committed) before the fault, all read back after recovery. Default 120. */
  seedSessions?: number
}

/** What one fault under load came to; times in ms since the load started. */
export interface FaultReport {
  scenario: string
  requests: number
  ok: number
  /** 503 responses, the only error status allowed. */
  unavailable: number
  /** Every other non-200 status, by status. */
  otherStatuses: Record<string, number>
  socketErrors: number
  timeouts: number
  faultAt: number
  repairedAt: number
  /** Non-200 responses before the fault began (must be none). */
  errorsBeforeFault: number
  firstErrorAt: number | null
  lastErrorAt: number | null
  /** From the repair (or the fault, when nothing repairs it) to the last error response; 0 without errors after it. */
  recoveryMs: number | null
  perTarget: Record<string, { requests: number; unavailable: number }>
  /** Responses per second before the fault, while it stood, and after the repair. */
  rates: { before: number; during: number; after: number }
  seeded: number
  lost: string[]
}

const WARMUP_MS = 2_000
/** Recovered once this long passes with every response a 200. */
const QUIET_MS = 2_000
const RECOVERY_LIMIT_MS = 30_000

/**
 * Runs one fault under load on all three adapters at once: seeds sessions, loads the apps
 * (autocannon), injects the fault after a warm-up, repairs it, waits until every app answers
 * 200 again (without restarting anything), then reads every seeded session back.
 */
export async function runFault(scenario: FaultScenario): Promise<FaultReport> {
  const apps: SecurityApp[] = []
  try {
    for (const adapter of ADAPTERS) {
      apps.push(
        await adapter.start({
          secret: SUITE_SECRET,
          store: scenario.store,
          cookie: { secure: false },
          storeTimeout: 1_000,
          ...scenario.sessionOptions,
        } as SessionOptions),
      )
    }
    const seeded = await seed(apps, scenario.seedSessions ?? 120)
    const load = startLoad(
      apps.map((app, i) => ({
        name: ADAPTERS[i]!.id,
        url: app.url,
        cookies: seeded.filter((_, n) => n % apps.length === i).map((s) => s.cookie),
      })),
    )
    await sleep(WARMUP_MS)
    await scenario.inject()
    // The fault is in place once inject() resolves (a process killed, a lock held).
    const faultAt = load.elapsed()
    await sleep(scenario.faultMs ?? 3_000)
    if (scenario.repair) await scenario.repair()
    const repairedAt = scenario.repair ? load.elapsed() : faultAt
    await waitForQuiet(load.samples, load.elapsed, repairedAt, apps.length)
    const { samples, socketErrors, timeouts } = await load.stop()
    const lost = await verify(apps[0]!, seeded)
    return report(
      scenario.name,
      samples,
      { socketErrors, timeouts, faultAt, repairedAt },
      {
        seeded: seeded.length,
        lost,
      },
    )
  } finally {
    await Promise.all(apps.map((app) => app.close()))
  }
}

interface SeededSession {
  user: string
  value: string
  cookie: string
}

/** Signs in `count` users (spread over the apps) and stores `seed=<n>` in each session. */
async function seed(apps: SecurityApp[], count: number): Promise<SeededSession[]> {
  const clients = apps.map((app) => new BulkClient(app.port, 4))
  try {
    return await mapConcurrent(count, 8, async (n) => {
      const client = clients[n % clients.length]!
      const user = `seed-${n}`
      const login = await client.request('POST', `/login?user=${user}`)
      const value = BulkClient.setCookies(login)
        .map(parseSetCookie)
        .find((c) => c.name === COOKIE_NAME)?.value
      if (login.status !== 200 || !value) throw new Error(`seeding ${user}: ${login.status}`)
      const cookie = `${COOKIE_NAME}=${value}`
      const set = await client.request('POST', `/set?key=seed&value=${n}`, { cookie })
      if (set.status !== 200) throw new Error(`seeding ${user}: ${set.status}`)
      return { user, value, cookie }
    })
  } finally {
    for (const client of clients) client.close()
  }
}

/** Waits until QUIET_MS pass after `since` and after the last error, with 200s from every target. */
async function waitForQuiet(
  samples: readonly LoadSample[],
  elapsed: () => number,
  since: number,
  targets: number,
): Promise<void> {
  const deadline = since + RECOVERY_LIMIT_MS
  while (elapsed() < deadline) {
    let lastError = since
    for (let i = samples.length - 1; i >= 0; i--) {
      const sample = samples[i]!
      if (sample.at < since) break
      if (sample.status !== 200) {
        lastError = Math.max(lastError, sample.at)
        break
      }
    }
    const okSince = new Set(
      samples.filter((s) => s.at > lastError && s.status === 200).map((s) => s.target),
    )
    if (elapsed() - lastError >= QUIET_MS && okSince.size === targets) return
    await sleep(100)
  }
}

/** The seeded sessions that do not read back intact (user and `seed` value). */
async function verify(app: SecurityApp, seeded: readonly SeededSession[]): Promise<string[]> {
  const client = new BulkClient(app.port, 4)
  try {
    const results = await mapConcurrent(seeded.length, 8, async (n) => {
      const { user, cookie } = seeded[n]!
      const read = await client.request('GET', '/read', { cookie })
      if (read.status !== 200) return `${user}: status ${read.status}`
      const view = JSON.parse(read.body) as { userId: unknown; data: Record<string, unknown> }
      return view.userId === user && view.data.seed === String(n) ? null : `${user}: ${read.body}`
    })
    return results.filter((lost): lost is string => lost !== null)
  } finally {
    client.close()
  }
}

function report(
  scenario: string,
  samples: readonly LoadSample[],
  times: { socketErrors: number; timeouts: number; faultAt: number; repairedAt: number },
  sessions: { seeded: number; lost: string[] },
): FaultReport {
  const errors = samples.filter((s) => s.status !== 200)
  const otherStatuses: Record<string, number> = {}
  const perTarget: FaultReport['perTarget'] = {}
  for (const sample of samples) {
    let target = perTarget[sample.target]
    if (!target) {
      target = { requests: 0, unavailable: 0 }
      perTarget[sample.target] = target
    }
    target.requests++
    if (sample.status === 503) target.unavailable++
    else if (sample.status !== 200) {
      otherStatuses[sample.status] = (otherStatuses[sample.status] ?? 0) + 1
    }
  }
  const lastErrorAt = errors.length > 0 ? Math.max(...errors.map((s) => s.at)) : null
  const end = samples.length > 0 ? Math.max(...samples.map((s) => s.at)) : times.repairedAt
  const rate = (from: number, to: number): number =>
    to <= from
      ? 0
      : Math.round((samples.filter((s) => s.at >= from && s.at < to).length * 1000) / (to - from))
  const recovered = errors.every((s) => s.at <= times.repairedAt + RECOVERY_LIMIT_MS)
  return {
    scenario,
    requests: samples.length,
    ok: samples.length - errors.length,
    unavailable: errors.filter((s) => s.status === 503).length,
    otherStatuses,
    socketErrors: times.socketErrors,
    timeouts: times.timeouts,
    faultAt: times.faultAt,
    repairedAt: times.repairedAt,
    errorsBeforeFault: errors.filter((s) => s.at < times.faultAt).length,
    firstErrorAt: errors.length > 0 ? Math.min(...errors.map((s) => s.at)) : null,
    lastErrorAt,
    recoveryMs: !recovered
      ? null
      : lastErrorAt === null
        ? 0
        : Math.max(0, lastErrorAt - times.repairedAt),
    perTarget,
    rates: {
      before: rate(0, times.faultAt),
      // A self-healing fault stands until its last error.
      during: rate(times.faultAt, Math.max(times.repairedAt, lastErrorAt ?? 0)),
      after: rate(Math.max(times.repairedAt, lastErrorAt ?? 0), end),
    },
    ...sessions,
  }
}

const relative = (ms: number): string => (ms < 0 ? `${-ms} ms before` : `${ms} ms after`)

/** One line of figures for the test output. */
export function describeReport(r: FaultReport): string {
  const healing = r.repairedAt === r.faultAt
  const from = healing ? 'the fault' : 'the repair'
  const window =
    r.firstErrorAt === null || r.lastErrorAt === null
      ? 'no error responses'
      : `error responses from ${r.firstErrorAt - r.faultAt} ms after the fault began until ${relative(r.lastErrorAt - r.repairedAt)} ${from}`
  const targets = Object.entries(r.perTarget)
    .map(([name, t]) => `${name} ${t.requests}/${t.unavailable}`)
    .join(', ')
  return [
    `fault "${r.scenario}":`,
    `${r.requests} requests, ${r.unavailable} × 503, other statuses ${JSON.stringify(r.otherStatuses)}, socket errors ${r.socketErrors}, timeouts ${r.timeouts};`,
    `fault stood ${r.repairedAt - r.faultAt} ms; ${window};`,
    `responses/s before ${r.rates.before}, during ${r.rates.during}, after ${r.rates.after};`,
    `recovered ${r.recoveryMs} ms after ${from}; sessions lost ${r.lost.length} of ${r.seeded};`,
    `requests/503 per adapter: ${targets}`,
  ].join(' ')
}
