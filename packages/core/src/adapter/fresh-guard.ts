import { ReauthenticationRequiredError } from '../errors.js'
import { parseDuration } from '../options/duration.js'
import type { Duration } from '../options/session-options.js'
import type { Session } from '../session/session.js'

/**
 * Options of the adapters' `requireFresh(maxAge, options)`.
 *
 * @example
 * ```ts
 * app.post('/account/password', requireFresh('5m', { redirect: '/reauthenticate' }), changePassword)
 * ```
 */
export interface RequireFreshOptions {
  /** Redirect (303) a stale session here instead of failing; `returnTo` carries the path asked for. */
  redirect?: string
  /** The status of the `ReauthenticationRequiredError` when not redirecting. Default 401. */
  status?: 401 | 403
}

/** What every adapter's `requireFresh()` decides, once. */
export interface FreshGuard {
  /** `undefined` when the session may go on; else where to redirect, or the error to raise. */
  check(
    session: Pick<Session, 'isFresh'>,
    path: string,
  ): { redirect: string } | { error: Error } | undefined
}

/** Validates `requireFresh`'s arguments at start-up and returns its per-request check. */
export function freshGuard(maxAge: Duration, options: RequireFreshOptions = {}): FreshGuard {
  const maxAgeMs = parseDuration('requireFresh(maxAge)', maxAge)
  const { redirect, status = 401 } = options
  if (redirect !== undefined && (typeof redirect !== 'string' || !redirect.startsWith('/'))) {
    throw new TypeError('requireFresh({ redirect }) expects a path on this site, such as "/login".')
  }
  if (status !== 401 && status !== 403) {
    throw new TypeError('requireFresh({ status }) expects 401 or 403.')
  }
  return {
    check(session, path) {
      if (session.isFresh(maxAgeMs)) return undefined
      if (redirect !== undefined) {
        const separator = redirect.includes('?') ? '&' : '?'
        return { redirect: `${redirect}${separator}returnTo=${encodeURIComponent(path)}` }
      }
      return { error: new ReauthenticationRequiredError(maxAgeMs, status) }
    },
  }
}
