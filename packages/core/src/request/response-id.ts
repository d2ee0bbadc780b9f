import type { SessionBackend } from '../backends/session-backend.js'
import { type CookieAttributes, serializeCookie } from '../cookie/cookie.js'
import { cookieWith } from '../cookie/cookie-overrides.js'
import { isPromise, type MaybePromise } from '../crypto/maybe-promise.js'
import type { EngineContext } from '../engine/engine-context.js'
import { SessionTooLargeError } from '../errors.js'
import type { CookieOverrides, ResponseHeaders } from './request-session.js'
import type { SessionState } from './session-state.js'

/**
 * Adds the id (or the sealed session) the response must carry, in the cookie or the id
 * header: a new or regenerated id, a re-signature after secret rotation, a moved expiry of a
 * cookie whose Max-Age follows the idle timeout, a new seal. Or, when the presented id leads
 * nowhere (invalid, unknown, expired, destroyed), its deletion.
 */
export function appendIdHeaders(
  ctx: EngineContext,
  backend: SessionBackend,
  state: SessionState,
  hasIncomingId: boolean,
  headers: ResponseHeaders,
  overrides: CookieOverrides | undefined,
): MaybePromise<void> {
  const { idHeader, clearSiteData } = ctx.options
  const cookie = overrides ? cookieWith(ctx.options.cookie, overrides) : ctx.options.cookie
  if (state.stored !== null && state.deliverId) {
    const deliver = (value: string): void => {
      if (idHeader) headers.push([idHeader, value])
      else headers.push(['set-cookie', sessionCookie(ctx, backend, state, cookie, value)])
      headers.push(['cache-control', 'no-store'])
    }
    const value = backend.idValue(state)
    return isPromise(value) ? value.then(deliver) : deliver(value)
  }
  if (state.stored === null && hasIncomingId) {
    if (idHeader) headers.push([idHeader, ''])
    else headers.push(['set-cookie', serializeCookie(cookie, '', 0)])
    headers.push(['cache-control', 'no-store'])
    if (clearSiteData && state.ended) headers.push(['clear-site-data', '"cookies"'])
  }
}

/** The Set-Cookie value: Max-Age up to the absolute timeout, or the idle timeout without one. */
function sessionCookie(
  ctx: EngineContext,
  backend: SessionBackend,
  state: SessionState,
  cookie: CookieAttributes,
  value: string,
): string {
  const setCookie = serializeCookie(cookie, value, ctx.expiry.cookieMaxAge(state.meta))
  const limit = backend.cookieLimit
  if (limit !== null && setCookie.length > limit) {
    throw new SessionTooLargeError(
      setCookie.length,
      limit,
      'the 4096-byte cookie limit of browsers (CookieStore keeps the whole session in the cookie)',
    )
  }
  return setCookie
}
