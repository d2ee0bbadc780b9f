// bench/results.svg: horizontal bars of each library's req/s ÷ bare, per framework and route.
// Plain SVG written by hand: no chart library, no browser.

const COLORS = ['#3b6fb6', '#e08a2c', '#4e9a5b', '#9b59b6', '#c0392b']
const WIDTH = 980
const LABEL_WIDTH = 250
const CHART_WIDTH = 640
const BAR = 9
const GROUP_GAP = 10
const PANEL_TITLE = 28

function escapeXml(text) {
  return String(text).replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c],
  )
}

function text(x, y, content, attributes = '') {
  return `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`
}

export function resultsSvg({ plan, rows }) {
  const scenarios = plan.frameworks[0]?.scenarios ?? []
  const maxRatio = Math.max(
    1.2,
    ...rows
      .filter((r) => r.library !== 'bare' && Number.isFinite(r.ratioToBare))
      .map((r) => r.ratioToBare),
  )
  const axisMax = Math.ceil(maxRatio * 4) / 4
  const scale = CHART_WIDTH / axisMax
  const parts = []
  let y = 50

  parts.push(
    text(10, 22, 'req/s ÷ bare framework (same run, median of repetitions)', 'class="title"'),
  )
  scenarios.forEach((scenario, i) => {
    const x = LABEL_WIDTH + i * 150
    parts.push(`<rect x="${x}" y="32" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`)
    parts.push(text(x + 14, 41, scenario.label))
  })

  for (const framework of plan.frameworks) {
    const libraries = framework.libraries.filter((l) => l.id !== 'bare')
    const groupHeight = scenarios.length * BAR + GROUP_GAP
    const panelHeight = PANEL_TITLE + libraries.length * groupHeight + 14
    const top = y
    parts.push(text(10, top + 18, framework.label, 'class="panel"'))
    const chartTop = top + PANEL_TITLE
    const chartBottom = top + panelHeight - 14
    for (let tick = 0; tick <= axisMax + 1e-9; tick += 0.25) {
      const x = LABEL_WIDTH + tick * scale
      const strong = Math.abs(tick - 1) < 1e-9
      parts.push(
        `<line x1="${x}" y1="${chartTop - 4}" x2="${x}" y2="${chartBottom}" class="${strong ? 'one' : 'grid'}"/>`,
      )
      parts.push(text(x, chartBottom + 11, tick.toFixed(2), 'class="tick"'))
    }
    libraries.forEach((library, li) => {
      const groupTop = chartTop + li * groupHeight
      parts.push(
        text(
          LABEL_WIDTH - 8,
          groupTop + (scenarios.length * BAR) / 2 + 4,
          library.label,
          'class="label"',
        ),
      )
      scenarios.forEach((scenario, si) => {
        const row = rows.find(
          (r) =>
            r.framework === framework.id && r.library === library.id && r.scenario === scenario.id,
        )
        if (row === undefined || !Number.isFinite(row.ratioToBare)) return
        const barY = groupTop + si * BAR
        const w = Math.max(1, row.ratioToBare * scale)
        parts.push(
          `<rect x="${LABEL_WIDTH}" y="${barY}" width="${w.toFixed(1)}" height="${BAR - 1}" fill="${COLORS[si % COLORS.length]}"><title>${escapeXml(`${framework.label}, ${library.label}, ${scenario.label}: ${row.ratioToBare.toFixed(2)}`)}</title></rect>`,
        )
        parts.push(
          text(LABEL_WIDTH + w + 3, barY + BAR - 1, row.ratioToBare.toFixed(2), 'class="value"'),
        )
      })
    })
    y += panelHeight + 16
  }

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="Helvetica, Arial, sans-serif">
<title>Tessera benchmark: req/s of each library as a ratio of the bare framework</title>
<style>
text { font-size: 11px; fill: #222; }
.title { font-size: 15px; font-weight: bold; }
.panel { font-size: 13px; font-weight: bold; }
.label { text-anchor: end; }
.tick { font-size: 9px; text-anchor: middle; fill: #666; }
.value { font-size: 8px; fill: #444; }
.grid { stroke: #ddd; stroke-width: 1; }
.one { stroke: #333; stroke-width: 1.5; stroke-dasharray: 4 2; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`
}
