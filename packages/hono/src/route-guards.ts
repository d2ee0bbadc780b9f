import type { Duration, ExclusiveOptions } from '@tessera/core'
import { freshGuard, type RequireFreshOptions } from '@tessera/core/adapter'
import type { MiddlewareHandler } from 'hono'
import { getSession } from './context-session-guard.js'

/**
 * Route middleware: the rest of the request runs inside the session's `exclusive()`, so no
 * two requests of one session are in it at once (for work a conflict replay must not repeat).
 *
 * @example
 * ```ts
 * app.post('/checkout', exclusive({ wait: '2s' }), async (c) => { ... })
 * ```
 */
export function exclusive(options?: ExclusiveOptions): MiddlewareHandler {
  return async (c, next) => {
    await getSession(c).exclusive(() => next(), options)
  }
}

/**
 * Route middleware for sensitive routes: lets a session through only if it signed in (or
 * `reauthenticated()`) within `maxAge`; otherwise redirects (303) to `options.redirect` with
 * `returnTo`, or throws `ReauthenticationRequiredError` (401 or 403).
 *
 * @example
 * ```ts
 * app.post('/account/email', requireFresh('5m', { redirect: '/reauthenticate' }), changeEmail)
 * ```
 */
export function requireFresh(maxAge: Duration, options?: RequireFreshOptions): MiddlewareHandler {
  const guard = freshGuard(maxAge, options)
  return async (c, next) => {
    const url = new URL(c.req.url)
    const outcome = guard.check(getSession(c), `${url.pathname}${url.search}`)
    if (outcome === undefined) {
      await next()
      return
    }
    if ('error' in outcome) throw outcome.error
    return c.redirect(outcome.redirect, 303)
  }
}
