import { SessionConfigError } from '../errors.js'
import { parseDuration } from './duration.js'
import type { Duration } from './session-options.js'

/**
 * Id rotation: a session's id is replaced every `every` (and at every `login`/`regenerate`).
 * The previous id keeps working for `grace`, so requests already in flight (parallel tabs,
 * slow uploads) are not logged out: they get the new id. After that, a request presenting a
 * retired id is possible theft: the `reuse` event fires, and with `onReuse: 'revoke'` the
 * session is ended (and with `revokeUser: true`, every session of its user).
 *
 * @example
 * ```ts
 * createSessionEngine({ secret, rotation: { every: '15m', grace: '30s', onReuse: 'revoke' } })
 * ```
 */
export interface RotationOptions {
  /** How long an id lives before the next response replaces it. */
  every: Duration
  /** How long a replaced id still leads to the session. Default `'30s'`. */
  grace?: Duration
  /**
   * What a retired id presented after `grace` does: `'reject'` (default) gives no session (and
   * fires `reuse`); `'revoke'` also ends the session it led to.
   */
  onReuse?: 'reject' | 'revoke'
  /** With `onReuse: 'revoke'`: end every session of the user too. Default `false`. */
  revokeUser?: boolean
}

/** Resolved {@link RotationOptions}. */
export interface ResolvedRotationOptions {
  everyMs: number
  graceMs: number
  onReuse: 'reject' | 'revoke'
  revokeUser: boolean
}

/** Validates `rotation`; `null` when it is off. */
export function resolveRotationOptions(
  options: RotationOptions | undefined,
  cookieStore: boolean,
): ResolvedRotationOptions | null {
  if (options === undefined) return null
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError('rotation', 'expected { every, grace?, onReuse?, revokeUser? }.')
  }
  if (cookieStore) {
    throw new SessionConfigError(
      'rotation',
      'is unavailable with CookieStore: retired ids are recorded in a server store.',
    )
  }
  const everyMs = parseDuration('rotation.every', options.every)
  const graceMs =
    options.grace === undefined ? 30_000 : parseDuration('rotation.grace', options.grace)
  if (graceMs >= everyMs) {
    throw new SessionConfigError('rotation.grace', 'must be shorter than rotation.every.')
  }
  const onReuse = options.onReuse ?? 'reject'
  if (onReuse !== 'reject' && onReuse !== 'revoke') {
    throw new SessionConfigError('rotation.onReuse', "expected 'reject' or 'revoke'.")
  }
  const revokeUser = options.revokeUser ?? false
  if (typeof revokeUser !== 'boolean') {
    throw new SessionConfigError('rotation.revokeUser', 'expected true or false.')
  }
  if (revokeUser && onReuse !== 'revoke') {
    throw new SessionConfigError('rotation.revokeUser', "needs onReuse: 'revoke'.")
  }
  return { everyMs, graceMs, onReuse, revokeUser }
}
