import { type Demo, errorPage } from '@tessera/demo-kit'
import { createMiddleware } from 'hono/factory'
import { type AppEnv, page, pageContext } from './env.js'

/** Loads the signed-in account from `session.userId` into `c.var.user`. */
export function loadUser(demo: Demo) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const userId = c.var.session.userId
    c.set('user', userId ? await demo.users.findById(userId) : null)
    await next()
  })
}

/** Anonymous visitors are sent to `/login`. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user) {
    c.var.session.flash('info', 'Sign in to see that page.')
    return c.redirect('/login')
  }
  await next()
})

/** Anonymous visitors go to `/login`; signed-in users who are not admins get a 403 page. */
export function requireAdmin(demo: Demo) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.user) {
      c.var.session.flash('info', 'Sign in to see that page.')
      return c.redirect('/login')
    }
    if (c.var.user.role !== 'admin') {
      return page(
        c,
        errorPage(pageContext(c, demo), 403, 'The admin dashboard is for admin accounts.'),
        403,
      )
    }
    await next()
  })
}
