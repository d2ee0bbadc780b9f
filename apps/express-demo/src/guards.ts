import { type Demo, errorPage } from '@tessera/demo-kit'
import type { RequestHandler } from 'express'
import { pageContext, sendPage } from './render.js'

/** Anonymous visitors are sent to `/login`. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next()
  req.flash('info', 'Sign in to see that page.')
  res.redirect('/login')
}

/** Anonymous visitors are sent to `/login`; signed-in users who are not admins get a 403 page. */
export function requireAdmin(demo: Demo): RequestHandler {
  return (req, res, next) => {
    if (!req.user) return requireUser(req, res, next)
    if (req.user.role === 'admin') return next()
    sendPage(
      res,
      errorPage(pageContext(req, demo), 403, 'The admin dashboard is for admin accounts.'),
      403,
    )
  }
}
