// Number formatting shared by the reports.

export function fixed(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–'
}

export function thousands(value) {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en') : '–'
}

export function signed(value, digits) {
  if (!Number.isFinite(value)) return '–'
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`
}

/** A markdown table from a header row and body rows (arrays of cells). */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** Redis commands per request as `1.00 (hmget 1.00)`, script-inner commands included. */
export function redisCell(commands) {
  if (commands === undefined) return ''
  const parts = Object.entries(commands.byCommand)
    .filter(([, n]) => n >= 0.005)
    .map(([command, n]) => `${command} ${n.toFixed(2)}`)
  return `${commands.total.toFixed(2)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`
}
