import { type Demo, errorMessage, errorPage, errorStatus, logError } from '@tessera/demo-kit'
import type { Context, Middleware, Next } from 'koa'
import { barePageContext, pageContext, sendPage } from './context.js'

/**
 * Renders thrown errors as pages. Mounted twice: inside `session()` with the full page (the
 * CSRF 403 keeps the visitor's theme and token), and outermost with a bare one for errors
 * `session()` itself throws (the store is down: 503).
 */
export function errorPages(demo: Demo, withSession: boolean): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next()
    } catch (error) {
      const status = errorStatus(error)
      logError(error)
      const context = withSession ? pageContext(ctx, demo) : barePageContext(ctx, demo)
      sendPage(ctx, errorPage(context, status, errorMessage(error)), status)
    }
  }
}

/** Loads the signed-in account from `ctx.session.userId` into `ctx.state.user`. */
export function loadUser(demo: Demo): Middleware {
  return async (ctx: Context, next: Next) => {
    const userId = ctx.session.userId
    ctx.state.user = userId ? await demo.users.findById(userId) : null
    await next()
  }
}

/** Anonymous visitors are sent to `/login`. */
export const requireUser: Middleware = async (ctx: Context, next: Next) => {
  if (!ctx.state.user) {
    ctx.session.flash('info', 'Sign in to see that page.')
    return ctx.redirect('/login')
  }
  await next()
}

/** Anonymous visitors go to `/login`; signed-in users who are not admins get a 403 page. */
export function requireAdmin(demo: Demo): Middleware {
  return async (ctx: Context, next: Next) => {
    if (!ctx.state.user) return requireUser(ctx, next)
    if (ctx.state.user.role !== 'admin') {
      return sendPage(
        ctx,
        errorPage(pageContext(ctx, demo), 403, 'The admin dashboard is for admin accounts.'),
        403,
      )
    }
    await next()
  }
}
