import type { ResolvedSessionOptions, SessionLifetime } from '@tessera/core'
import type { LegacySession } from './import-express-sessions-options.js'

/** A legacy record split into its data and express-session's `cookie` field. */
export interface ParsedLegacyRecord extends LegacySession {
  /** True when the record has a `cookie` field at all (every express-session record does). */
  hasCookie: boolean
}

/** Reads express-session's `cookie` field (stores keep `expires` as an ISO string or a Date). */
export function parseLegacyRecord(record: Record<string, unknown>): ParsedLegacyRecord {
  const { cookie, ...data } = record
  if (typeof cookie !== 'object' || cookie === null) {
    return { data, originalMaxAge: null, expires: null, hasCookie: false }
  }
  const fields = cookie as { originalMaxAge?: unknown; expires?: unknown }
  const maxAge = fields.originalMaxAge
  const expires =
    typeof fields.expires === 'string' || typeof fields.expires === 'number'
      ? new Date(fields.expires)
      : fields.expires instanceof Date
        ? fields.expires
        : null
  return {
    data,
    originalMaxAge:
      typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0 ? maxAge : null,
    expires: expires !== null && Number.isFinite(expires.getTime()) ? expires : null,
    hasCookie: true,
  }
}

/**
 * The lifetime express-session gave the session, in Tessera's terms, within the engine's
 * `maxLifetime`. express-session moves `expires` to `now + originalMaxAge` on every request
 * (the record's expiry is an idle timeout), so `originalMaxAge` becomes the idle timeout; a
 * longer one than the engine's `absoluteTimeout` raises the absolute timeout to match, since
 * express-session had none. A browser-session cookie (`expires: null`) stays one. `null`:
 * the engine's own lifetime already says the same.
 */
export function legacyLifetime(
  legacy: ParsedLegacyRecord,
  options: Pick<
    Readonly<ResolvedSessionOptions>,
    'cookie' | 'idleTimeoutMs' | 'absoluteTimeoutMs' | 'lifetimes'
  >,
  now: number,
): SessionLifetime | null {
  if (!legacy.hasCookie) return null
  const { cookie, idleTimeoutMs, absoluteTimeoutMs, lifetimes } = options
  if (legacy.expires === null) return cookie.persistent ? { persistent: false } : null
  const maxAge = legacy.originalMaxAge ?? Math.max(0, legacy.expires.getTime() - now)
  // Whole seconds, at least one: cookies count in seconds.
  let idle = Math.min(Math.max(1000, Math.round(maxAge / 1000) * 1000), lifetimes.maxIdleMs)
  const lifetime: SessionLifetime = {}
  if (absoluteTimeoutMs !== null && idle > absoluteTimeoutMs) {
    const absolute =
      lifetimes.maxAbsoluteMs === null ? idle : Math.min(idle, lifetimes.maxAbsoluteMs)
    lifetime.absolute = absolute
    idle = Math.min(idle, absolute)
  }
  if (idle !== idleTimeoutMs) lifetime.idle = idle
  if (!cookie.persistent) lifetime.persistent = true
  return Object.keys(lifetime).length === 0 ? null : lifetime
}
