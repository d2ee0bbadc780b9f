import type { Duration, ExclusiveOptions, Session } from '@tessera/core'
import { freshGuard, type RequireFreshOptions } from '@tessera/core/adapter'

interface SessionContextLike {
  session: Session | null
  originalUrl: string
  status: number
  redirect(url: string): void
}

/**
 * Route middleware: the rest of the request runs inside `ctx.session.exclusive()`, so no two
 * requests of one session are in it at once (for work a conflict replay must not repeat).
 *
 * @example
 * ```ts
 * router.post('/checkout', exclusive({ wait: '2s' }), async (ctx) => { ... })
 * ```
 */
export function exclusive(options?: ExclusiveOptions) {
  return async (ctx: unknown, next: () => Promise<unknown>): Promise<void> => {
    const session = (ctx as SessionContextLike).session as Session
    await session.exclusive(() => next(), options)
  }
}

/**
 * Route middleware for sensitive routes: lets a session through only if it signed in (or
 * `reauthenticated()`) within `maxAge`; otherwise redirects (303) to `options.redirect` with
 * `returnTo`, or throws `ReauthenticationRequiredError` (401 or 403).
 *
 * @example
 * ```ts
 * router.post('/account/email', requireFresh('5m', { redirect: '/reauthenticate' }), changeEmail)
 * ```
 */
export function requireFresh(maxAge: Duration, options?: RequireFreshOptions) {
  const guard = freshGuard(maxAge, options)
  return async (ctx: unknown, next: () => Promise<unknown>): Promise<void> => {
    const context = ctx as SessionContextLike
    const outcome = guard.check(context.session as Session, context.originalUrl)
    if (outcome === undefined) {
      await next()
      return
    }
    if ('error' in outcome) throw outcome.error
    context.status = 303
    context.redirect(outcome.redirect)
  }
}
