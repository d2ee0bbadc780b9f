// Medians over repetitions, and the ratios and differences between libraries of one run.

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function medianCommands(reps) {
  if (reps.some((r) => r.redisCommandsPerRequest === undefined)) return undefined
  const commands = new Set(reps.flatMap((r) => Object.keys(r.redisCommandsPerRequest)))
  const byCommand = {}
  for (const command of [...commands].sort()) {
    byCommand[command] = median(reps.map((r) => r.redisCommandsPerRequest[command] ?? 0))
  }
  const total = median(
    reps.map((r) => Object.values(r.redisCommandsPerRequest).reduce((a, b) => a + b, 0)),
  )
  return { total, byCommand }
}

const MEDIAN_FIELDS = [
  'rps',
  'p50',
  'p99',
  'cpuUsPerRequest',
  'serverCpuPercent',
  'loadCpuPercent',
  'serverWaitPercent',
  'loadWaitPercent',
  'cookieChangesPerRequest',
]

/**
 * One row per framework × library × scenario: the repetitions, their medians, the ratio of
 * req/s to bare and to the incumbent, and the server CPU µs per request added over bare.
 */
export function aggregate(plan, samples) {
  const rows = []
  for (const framework of plan.frameworks) {
    for (const scenario of framework.scenarios) {
      const medians = new Map()
      for (const library of framework.libraries) {
        const reps = samples.get(sampleKey(framework, library, scenario))
        if (reps === undefined) continue
        const m = {}
        for (const field of MEDIAN_FIELDS) m[field] = median(reps.map((r) => r[field]))
        m.failedResponses = reps.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0)
        m.redisCommands = medianCommands(reps)
        medians.set(library.id, { library, reps, median: m })
      }
      const bare = medians.get('bare')
      for (const { library, reps, median: m } of medians.values()) {
        const incumbentId =
          library.lib === 'tessera' ? framework.incumbentFor[library.store] : undefined
        const incumbent = incumbentId === undefined ? undefined : medians.get(incumbentId)
        rows.push({
          framework: framework.id,
          frameworkLabel: framework.label,
          library: library.id,
          libraryLabel: library.label,
          lib: library.lib,
          store: library.store,
          scenario: scenario.id,
          scenarioLabel: scenario.label,
          median: m,
          ratioToBare:
            bare === undefined
              ? Number.NaN
              : pairedMedian(reps, bare.reps, (a, b) => a.rps / b.rps),
          incumbent: incumbent?.library.id,
          ratioToIncumbent:
            incumbent === undefined
              ? undefined
              : pairedMedian(reps, incumbent.reps, (a, b) => a.rps / b.rps),
          addedUsOverBare:
            bare === undefined
              ? Number.NaN
              : pairedMedian(reps, bare.reps, (a, b) => a.cpuUsPerRequest - b.cpuUsPerRequest),
          repetitions: reps,
        })
      }
    }
  }
  return rows
}

/**
 * The median over repetitions of `compare(rep i, other's rep i)`. Repetition i of every
 * library ran in the same interleaved pass, seconds apart, so comparing within a pass cancels
 * the machine's drift between passes; a ratio of the two medians would not.
 */
export function pairedMedian(reps, otherReps, compare) {
  const n = Math.min(reps.length, otherReps.length)
  const values = []
  for (let i = 0; i < n; i++) values.push(compare(reps[i], otherReps[i]))
  return median(values)
}

export function sampleKey(framework, library, scenario) {
  return `${framework.id}|${library.id}|${scenario.id}`
}
