import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duration, ExclusiveOptions } from '@tessera/core'
import { freshGuard, type RequireFreshOptions } from '@tessera/core/adapter'
import { missingSession } from './request-body.js'
import { currentSession } from './request-session-guard.js'

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Route middleware: the rest of the request runs inside `req.session.exclusive()`, so no two
 * requests of one session are in these routes at once (for work a conflict replay must not
 * repeat: a charge, a mail). The lease is held until the response has gone out.
 *
 * @example
 * ```ts
 * app.post('/checkout', exclusive({ wait: '2s' }), async (req, res) => { ... })
 * ```
 */
export function exclusive(options?: ExclusiveOptions): Middleware {
  return (req, res, next) => {
    const session = currentSession(req)
    if (!session) {
      next(missingSession('exclusive()'))
      return
    }
    session
      .exclusive(
        () =>
          new Promise<void>((resolve) => {
            res.once('finish', resolve)
            res.once('close', resolve)
            next()
          }),
        options,
      )
      .catch(next)
  }
}

/**
 * Route middleware for sensitive routes (password change, payment): lets a session through only
 * if it signed in (or `reauthenticated()`) within `maxAge`; otherwise redirects (303) to
 * `options.redirect` with `returnTo`, or fails with `ReauthenticationRequiredError` (401 or 403).
 *
 * @example
 * ```ts
 * app.post('/account/email', requireFresh('5m', { redirect: '/reauthenticate' }), changeEmail)
 * ```
 */
export function requireFresh(maxAge: Duration, options?: RequireFreshOptions): Middleware {
  const guard = freshGuard(maxAge, options)
  return (req, res, next) => {
    const session = currentSession(req)
    if (!session) {
      next(missingSession('requireFresh()'))
      return
    }
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
    const outcome = guard.check(session, url)
    if (outcome === undefined) next()
    else if ('redirect' in outcome) {
      res.statusCode = 303
      res.setHeader('location', outcome.redirect)
      res.end()
    } else next(outcome.error)
  }
}
