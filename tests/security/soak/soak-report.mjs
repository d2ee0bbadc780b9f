// What the soak's samples say: the memory plateau and the throughput, as figures, as a
// hand-written SVG chart and as the Markdown summary in docs/soak/.

const MB = 1024 * 1024
/** The first seconds are JIT warm-up and the stores filling up: not part of the verdicts. */
const WARMUP_SECONDS = 20

const median = (values) => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

/** Least-squares slope of `values` against their index (per sample, i.e. per second). */
function slope(values) {
  const n = values.length
  if (n < 2) return 0
  const meanX = (n - 1) / 2
  const meanY = values.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  values.forEach((y, x) => {
    num += (x - meanX) * (y - meanY)
    den += (x - meanX) ** 2
  })
  return num / den
}

/**
 * Verdicts over the samples after the warm-up, split in thirds. Memory levelled off when the
 * median RSS and the heap floor of the last third are within 10 % of the middle third's and RSS grows
 * by under 2 MB a minute over the second half. Throughput held when the last third's median
 * req/s is at least 95 % of the first third's and of the target rate's 90 %.
 */
export function analyse(samples, targetRate) {
  const steady = samples.filter((s) => s.t > WARMUP_SECONDS)
  const third = Math.max(1, Math.floor(steady.length / 3))
  const first = steady.slice(0, third)
  const middle = steady.slice(third, 2 * third)
  const last = steady.slice(-third)
  const rss = (list) => median(list.map((s) => s.rss)) / MB
  // Heap used saws up and down with every collection: its floor (the lowest sample) is what a
  // leak would lift.
  const heap = (list) => Math.min(...list.map((s) => s.heapUsed)) / MB
  const rps = (list) => median(list.map((s) => s.rps))
  const latency = (list) => median(list.map((s) => s.latencyMs))
  const secondHalf = steady.slice(Math.floor(steady.length / 2))
  const rssSlopeMbPerMin = (slope(secondHalf.map((s) => s.rss)) * 60) / MB
  const analysis = {
    seconds: samples.length,
    rss: { firstMb: round(rss(first)), middleMb: round(rss(middle)), lastMb: round(rss(last)) },
    heap: { firstMb: round(heap(first)), middleMb: round(heap(middle)), lastMb: round(heap(last)) },
    rssSlopeMbPerMin: round(rssSlopeMbPerMin, 2),
    peakRssMb: round(Math.max(0, ...samples.map((s) => s.rss)) / MB),
    rps: { first: rps(first), middle: rps(middle), last: rps(last) },
    latencyMs: { first: round(latency(first), 2), last: round(latency(last), 2) },
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
    storeSize: samples.at(-1)?.storeSize ?? null,
  }
  analysis.memoryLevelled =
    rss(last) <= rss(middle) * 1.1 && heap(last) <= heap(middle) * 1.1 && rssSlopeMbPerMin < 2
  analysis.throughputHeld = rps(last) >= rps(first) * 0.95 && rps(last) >= targetRate * 0.9
  return analysis
}

const escapeXml = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)

/** One line chart: series of [t, value] in a box at (x, y), with axes and a legend. */
function chart({ x, y, width, height, title, unit, series, maxT }) {
  const maxV = Math.max(1, ...series.flatMap((s) => s.points.map(([, v]) => v))) * 1.1
  const px = (t) => x + (t / Math.max(1, maxT)) * width
  const py = (v) => y + height - (v / maxV) * height
  const parts = [
    `<text x="${x}" y="${y - 10}" font-size="13" font-weight="600">${escapeXml(title)}</text>`,
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="none" stroke="#999"/>`,
  ]
  for (let i = 0; i <= 4; i++) {
    const v = (maxV * i) / 4
    parts.push(
      `<line x1="${x}" x2="${x + width}" y1="${py(v)}" y2="${py(v)}" stroke="#eee"/>`,
      `<text x="${x - 6}" y="${py(v) + 4}" font-size="10" text-anchor="end">${Math.round(v)}</text>`,
    )
  }
  for (let i = 0; i <= 5; i++) {
    const t = (maxT * i) / 5
    parts.push(
      `<text x="${px(t)}" y="${y + height + 14}" font-size="10" text-anchor="middle">${Math.round(t)} s</text>`,
    )
  }
  parts.push(
    `<text x="${x - 36}" y="${y + height / 2}" font-size="10" transform="rotate(-90 ${x - 36} ${y + height / 2})" text-anchor="middle">${escapeXml(unit)}</text>`,
  )
  series.forEach((s, i) => {
    const d = s.points
      .map(([t, v], j) => `${j ? 'L' : 'M'}${round(px(t))},${round(py(v))}`)
      .join('')
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`)
    // Legend above the box, right-aligned, one entry after another.
    const lx = x + width - 90 * (series.length - i)
    const ly = y - 10
    parts.push(
      `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${lx + 20}" y="${ly}" font-size="10">${escapeXml(s.name)}</text>`,
    )
  })
  return parts.join('\n')
}

/** The chart: one column per store; memory (RSS, heap) above, requests per second below. */
export function soakSvg(runs) {
  const colWidth = 460
  const chartWidth = 380
  const width = colWidth * runs.length + 40
  const height = 560
  const body = runs.map((run, i) => {
    const x = 70 + i * colWidth
    const maxT = Math.max(1, ...run.samples.map((s) => s.t))
    return [
      `<text x="${x}" y="28" font-size="15" font-weight="700">${escapeXml(run.label)}</text>`,
      chart({
        x,
        y: 70,
        width: chartWidth,
        height: 180,
        title: `memory (${run.analysis.memoryLevelled ? 'levelled off' : 'still growing'})`,
        unit: 'MB',
        maxT,
        series: [
          { name: 'RSS', color: '#c0392b', points: run.samples.map((s) => [s.t, s.rss / MB]) },
          {
            name: 'heap used',
            color: '#2980b9',
            points: run.samples.map((s) => [s.t, s.heapUsed / MB]),
          },
        ],
      }),
      chart({
        x,
        y: 330,
        width: chartWidth,
        height: 180,
        title: `requests per second (target ${run.rate}; ${run.analysis.throughputHeld ? 'held' : 'decayed'})`,
        unit: 'req/s',
        maxT,
        series: [
          { name: 'responses/s', color: '#27ae60', points: run.samples.map((s) => [s.t, s.rps]) },
        ],
      }),
    ].join('\n')
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">
<title>Soak run: memory and throughput over time, per store</title>
<rect width="100%" height="100%" fill="white"/>
${body.join('\n')}
</svg>
`
}

/** docs/soak/SUMMARY.md: what ran, the figures, and the verdicts. */
export function summaryMarkdown(runs, machine) {
  const rows = runs.map((run) => {
    const a = run.analysis
    return `| ${run.label} | ${run.minutes} min, ${run.totals.requests.toLocaleString('en')} requests | ${a.rps.first} / ${a.rps.middle} / ${a.rps.last} | ${a.latencyMs.first} / ${a.latencyMs.last} | ${a.rss.firstMb} / ${a.rss.middleMb} / ${a.rss.lastMb} (peak ${a.peakRssMb}) | ${a.heap.firstMb} / ${a.heap.middleMb} / ${a.heap.lastMb} | ${a.rssSlopeMbPerMin} | ${a.memoryLevelled ? 'yes' : '**no**'} | ${a.throughputHeld ? 'yes' : '**no**'} |`
  })
  const notes = runs.map((run) => {
    const a = run.analysis
    return `- ${run.label}: ${run.totals.non2xx} non-2xx responses, ${run.totals.errors} connection errors, ${run.totals.timeouts} timeouts; ${run.knownAlive} of 1000 long-lived sessions still read back at the end${a.storeSize === null ? '' : `; the store held ${a.storeSize.toLocaleString('en')} sessions at the end (bound: 20 000)`}.`
  })
  return `# Soak

![RSS, heap and requests per second over the soak](soak.svg)

\`${machine.command}\` on ${machine.date}: ${machine.cpus}, Node.js ${machine.node}. Each store
ran in an Express 5 app of its own process (@tessera/express, built packages); autocannon sent
half its requests as \`POST /visit\` without a cookie (a new session each) and half as
\`GET /visit\` with one of 1000 sessions made beforehand. Samples every second; the first
${WARMUP_SECONDS} s (warm-up) are left out of the verdicts, the rest is split in thirds
(first / middle / last).

| store | ran | median req/s (thirds) | mean latency ms (first / last third) | median RSS MB (thirds) | heap floor MB (thirds) | RSS slope, 2nd half (MB/min) | memory levelled off | throughput held |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

${notes.join('\n')}

Memory counts as levelled off when the last third's median RSS and heap floor (the lowest
heap-used sample, what is left after collections) are within 10 % of
the middle third's and RSS grows by less than 2 MB a minute over the second half;
throughput as held when the last third's median req/s is at least 95 % of the first third's
and 90 % of the target rate. Produced by \`tests/security/soak/soak.mjs\`; rerun with
\`pnpm soak\` (\`--minutes\`, \`--rate\`, \`--stores\`).
`
}
