import type { SessionLifetimeMeta } from '../engine/session-payload.js'
import { SessionConfigError } from '../errors.js'
import { parseDuration } from './duration.js'
import type { Duration } from './session-options.js'

/**
 * One session's own lifetime, where it differs from the engine's (`setLifetime()`,
 * `login(userId, { remember: true })`). Omitted fields keep the engine's value.
 *
 * @example
 * ```ts
 * // "Keep me signed in" on a shared computer: a browser-session cookie, one hour idle.
 * session.setLifetime({ idle: '1h', persistent: false })
 * ```
 */
export interface SessionLifetime {
  /** Idle timeout of this session. At most `maxLifetime.idle`. */
  idle?: Duration
  /** Absolute timeout of this session, or `false` for none. At most `maxLifetime.absolute`. */
  absolute?: Duration | false
  /** `false`: a browser-session cookie (no Max-Age). */
  persistent?: boolean
}

/** The ceilings per-session lifetimes must stay within, and the remember-me lifetime. */
export interface ResolvedLifetimeOptions {
  maxIdleMs: number
  /** `null`: a session may drop the absolute timeout (only when the engine has none either). */
  maxAbsoluteMs: number | null
  rememberMe: SessionLifetimeMeta
}

const DAY = 86_400_000

/** Validates `maxLifetime` and `rememberMe` against the engine's own timeouts. */
export function resolveLifetimeOptions(
  options: { maxLifetime?: SessionLifetime; rememberMe?: SessionLifetime },
  idleTimeoutMs: number,
  absoluteTimeoutMs: number | null,
): ResolvedLifetimeOptions {
  const max = options.maxLifetime ?? {}
  const maxIdleMs =
    max.idle === undefined
      ? Math.max(30 * DAY, idleTimeoutMs)
      : parseDuration('maxLifetime.idle', max.idle)
  const maxAbsoluteMs =
    max.absolute === false
      ? null
      : max.absolute === undefined
        ? absoluteTimeoutMs === null
          ? null
          : Math.max(400 * DAY, absoluteTimeoutMs)
        : parseDuration('maxLifetime.absolute', max.absolute)
  if (maxIdleMs < idleTimeoutMs) {
    throw new SessionConfigError('maxLifetime.idle', 'must be at least idleTimeout.')
  }
  if (maxAbsoluteMs !== null && (absoluteTimeoutMs === null || maxAbsoluteMs < absoluteTimeoutMs)) {
    throw new SessionConfigError(
      'maxLifetime.absolute',
      'must be at least absoluteTimeout (and absent or false when absoluteTimeout is false).',
    )
  }
  const ceilings = { maxIdleMs, maxAbsoluteMs }
  // By default 30 days idle and 90 absolute, kept within the ceilings the app set.
  const rememberMe = lifetimeMeta(
    options.rememberMe ?? {
      idle: Math.min(30 * DAY, maxIdleMs),
      absolute: maxAbsoluteMs === null ? false : Math.min(90 * DAY, maxAbsoluteMs),
    },
    ceilings,
    'rememberMe',
  )
  return { ...ceilings, rememberMe }
}

/**
 * A lifetime as the session's metadata stores it, checked against the ceilings. Throws a
 * `SessionConfigError` (named after `where`) for a value out of range.
 */
export function lifetimeMeta(
  lifetime: SessionLifetime,
  ceilings: Pick<ResolvedLifetimeOptions, 'maxIdleMs' | 'maxAbsoluteMs'>,
  where: string,
): SessionLifetimeMeta {
  if (typeof lifetime !== 'object' || lifetime === null) {
    throw new SessionConfigError(where, 'expected { idle?, absolute?, persistent? }.')
  }
  const meta: SessionLifetimeMeta = {}
  if (lifetime.idle !== undefined) {
    meta.i = parseDuration(`${where}.idle`, lifetime.idle)
    if (meta.i > ceilings.maxIdleMs) {
      throw new SessionConfigError(
        `${where}.idle`,
        `is over maxLifetime.idle (${ceilings.maxIdleMs} ms).`,
      )
    }
  }
  if (lifetime.absolute !== undefined) {
    if (lifetime.absolute === false) {
      if (ceilings.maxAbsoluteMs !== null) {
        throw new SessionConfigError(
          `${where}.absolute`,
          `cannot be false while maxLifetime.absolute is set (${ceilings.maxAbsoluteMs} ms).`,
        )
      }
      meta.a = null
    } else {
      meta.a = parseDuration(`${where}.absolute`, lifetime.absolute)
      if (ceilings.maxAbsoluteMs !== null && meta.a > ceilings.maxAbsoluteMs) {
        throw new SessionConfigError(
          `${where}.absolute`,
          `is over maxLifetime.absolute (${ceilings.maxAbsoluteMs} ms).`,
        )
      }
    }
  }
  if (lifetime.persistent !== undefined) {
    if (typeof lifetime.persistent !== 'boolean') {
      throw new SessionConfigError(`${where}.persistent`, 'expected true or false.')
    }
    meta.p = lifetime.persistent
  }
  if (meta.i !== undefined && meta.a != null && meta.a < meta.i) {
    throw new SessionConfigError(`${where}.absolute`, 'is shorter than its idle timeout.')
  }
  return meta
}
