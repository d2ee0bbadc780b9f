/** `30 minutes`, `8 hours`, `90 seconds`, `2 days`: a duration as a person reads it. */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ]
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return plural(ms / size, name)
  }
  for (const [size, name] of units) {
    if (ms >= size) return plural(Math.round((ms / size) * 10) / 10, name)
  }
  return `${ms} ms`
}

/** `just now`, `3 minutes ago`, `in 2 hours`: how far `at` is from `now`. */
export function relativeTime(at: number, now: number): string {
  const delta = at - now
  const abs = Math.abs(delta)
  if (abs < 45_000) return 'just now'
  const [size, unit]: [number, string] =
    abs >= 86_400_000
      ? [86_400_000, 'day']
      : abs >= 3_600_000
        ? [3_600_000, 'hour']
        : [60_000, 'minute']
  const text = plural(Math.max(1, Math.round(abs / size)), unit)
  return delta < 0 ? `${text} ago` : `in ${text}`
}

/** `Chrome 124 on Linux`: the browser and platform of a user agent, or the raw string. */
export function describeUserAgent(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser'
  const browser =
    match(userAgent, /Edg\/(\d+)/, 'Edge') ??
    match(userAgent, /HeadlessChrome\/(\d+)/, 'Headless Chrome') ??
    match(userAgent, /Chrome\/(\d+)/, 'Chrome') ??
    match(userAgent, /Firefox\/(\d+)/, 'Firefox') ??
    match(userAgent, /Version\/(\d+).*Safari/, 'Safari') ??
    match(userAgent, /^curl\/([\d.]+)/, 'curl') ??
    match(userAgent, /^node(?:-fetch)?\/?([\d.]*)/i, 'Node.js')
  const platform = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null
  if (!browser) return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent
  return platform ? `${browser} on ${platform}` : browser
}

function match(text: string, pattern: RegExp, name: string): string | null {
  const found = pattern.exec(text)
  if (!found) return null
  return found[1] ? `${name} ${found[1]}` : name
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}
