import { SessionConfigError } from '../errors.js'

/** What a mismatch does: nothing, a `binding` event, or no session for the request. */
export type BindingAction = 'off' | 'warn' | 'reject'

/**
 * Soft binding: each request is compared with what the session was created with. `'warn'`
 * fires the `binding` event; `'reject'` gives the request no session (the session itself stays,
 * for the device it belongs to). Strict IP binding signs mobile users out as they move between
 * networks, so it is never the default.
 *
 * @example
 * ```ts
 * createSessionEngine({ secret, trackIp: true, binding: { userAgent: 'reject', ip: 'warn' } })
 * ```
 */
export interface BindingOptions {
  /** A different `User-Agent` than at creation. Default `'off'`. */
  userAgent?: BindingAction
  /** A different client IP than at creation (needs `trackIp`). Default `'off'`. */
  ip?: BindingAction
}

/** Resolved {@link BindingOptions}. */
export interface ResolvedBindingOptions {
  userAgent: BindingAction
  ip: BindingAction
}

const ACTIONS = new Set<unknown>(['off', 'warn', 'reject'])

/** Validates `binding` (and that IP binding has IPs to compare). */
export function resolveBindingOptions(
  options: BindingOptions | undefined,
  trackIp: boolean,
): ResolvedBindingOptions {
  const userAgent = options?.userAgent ?? 'off'
  const ip = options?.ip ?? 'off'
  if (!ACTIONS.has(userAgent)) {
    throw new SessionConfigError('binding.userAgent', "expected 'off', 'warn' or 'reject'.")
  }
  if (!ACTIONS.has(ip))
    throw new SessionConfigError('binding.ip', "expected 'off', 'warn' or 'reject'.")
  if (ip !== 'off' && !trackIp) {
    throw new SessionConfigError(
      'binding.ip',
      'needs trackIp: true (the IP the session was created with is stored then).',
    )
  }
  return { userAgent, ip }
}
