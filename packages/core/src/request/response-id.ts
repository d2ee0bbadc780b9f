import type { SessionBackend } from '../backends/session-backend.js'
import { serializeCookie } from '../cookie/cookie.js'
import type { EngineContext } from '../engine/engine-context.js'
import { SessionTooLargeError } from '../errors.js'
import type { ResponseHeaders } from './request-session.js'
import type { SessionState } from './session-state.js'

/**
 * Adds the id (or the sealed session) the response must carry, in the cookie or the id
 * header: a new or regenerated id, a re-signature after secret rotation, a moved expiry of a
 * cookie whose Max-Age follows the idle timeout, a new seal. Or, when the presented id leads
 * nowhere (invalid, unknown, expired, destroyed), its deletion.
 */
export async function appendIdHeaders(
  ctx: EngineContext,
  backend: SessionBackend,
  state: SessionState,
  hasIncomingId: boolean,
  headers: ResponseHeaders,
): Promise<void> {
  const { idHeader, cookie } = ctx.options
  if (state.stored !== null && state.deliverId) {
    const value = await backend.idValue(state)
    if (idHeader) headers.push([idHeader, value])
    else headers.push(['set-cookie', sessionCookie(ctx, backend, state, value)])
    headers.push(['cache-control', 'no-store'])
  } else if (state.stored === null && hasIncomingId) {
    if (idHeader) headers.push([idHeader, ''])
    else headers.push(['set-cookie', serializeCookie(cookie, '', 0)])
    headers.push(['cache-control', 'no-store'])
  }
}

/** The Set-Cookie value: Max-Age up to the absolute timeout, or the idle timeout without one. */
function sessionCookie(
  ctx: EngineContext,
  backend: SessionBackend,
  state: SessionState,
  value: string,
): string {
  const { cookie, absoluteTimeoutMs, idleTimeoutMs, now } = ctx.options
  const maxAge = cookie.persistent
    ? absoluteTimeoutMs === null
      ? idleTimeoutMs
      : state.meta.c + absoluteTimeoutMs - now()
    : undefined
  const setCookie = serializeCookie(cookie, value, maxAge)
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
