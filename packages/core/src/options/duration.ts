import { SessionConfigError } from '../errors.js'
import type { Duration } from './session-options.js'

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
}

/** Milliseconds of a {@link Duration}; throws {@link SessionConfigError} naming `option`. */
export function parseDuration(option: string, value: Duration): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value > 0) return value
  } else if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(value.trim())
    if (match) {
      const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number)
      if (ms > 0) return ms
    }
  }
  throw new SessionConfigError(
    option,
    `expected a positive number of milliseconds or a string such as '30m', '12h', '7d'; got ${JSON.stringify(value)}.`,
  )
}
