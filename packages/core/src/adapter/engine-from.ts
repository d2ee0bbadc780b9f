import { createSessionEngine, type SessionEngine } from '../engine/session-engine.js'
import type { SessionOptions } from '../options/session-options.js'

/** True when `value` is an engine made by `createSessionEngine`, not an options object. */
export function isSessionEngine<Data extends object>(value: unknown): value is SessionEngine<Data> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<SessionEngine<Data>>).start === 'function' &&
    typeof (value as Partial<SessionEngine<Data>>).options === 'object'
  )
}

/**
 * What every adapter's `session()` accepts: options (a new engine is made) or an existing
 * engine (shared with administration code, or with another adapter).
 */
export function engineFrom<Data extends object>(
  optionsOrEngine: SessionOptions | SessionEngine<Data>,
): SessionEngine<Data> {
  return isSessionEngine<Data>(optionsOrEngine)
    ? optionsOrEngine
    : createSessionEngine<Data>(optionsOrEngine)
}
