import {
  changePasswordForm,
  type Demo,
  field,
  loginPage,
  passwordPage,
  registerForm,
  registerPage,
  signIn,
} from '@tessera/demo-kit'
import { Router } from 'express'
import type { PassportStatic } from 'passport'
import { requireUser } from '../guards.js'
import { pageContext, sendOutcome, sendPage } from '../render.js'

/** Registration, sign-in through passport, sign-out and the password change. */
export function accountRoutes(demo: Demo, auth: PassportStatic): Router {
  const router = Router()

  router.get('/register', (req, res) => {
    sendPage(res, registerPage(pageContext(req, demo)))
  })

  router.post('/register', async (req, res) => {
    const form = { username: field(req.body, 'username'), password: field(req.body, 'password') }
    sendOutcome(req, res, await registerForm(demo.users, form))
  })

  router.get('/login', (req, res) => {
    sendPage(res, loginPage(pageContext(req, demo)))
  })

  router.post(
    '/login',
    // Passport regenerates the session (a new id; the old cookie stops working); keepSessionInfo
    // carries the visitor's theme and cart across, as with express-session.
    auth.authenticate('local', {
      failureRedirect: '/login',
      failureFlash: true,
      keepSessionInfo: true,
    }),
    async (req, res) => {
      const user = req.user!
      // Passport tells the session nothing about the user: index the session under the
      // account too, so "your sessions", revoking and the admin page can find it.
      await signIn(req.session, user.id)
      req.flash('info', `Signed in as ${user.username}.`)
      res.redirect('/')
    },
  )

  router.post('/logout', (req, res, next) => {
    // Passport's logout regenerates the session: the old record is deleted on the server.
    req.logout((error) => {
      if (error) return next(error)
      req.flash('info', 'You are signed out.')
      res.redirect('/')
    })
  })

  router.get('/password', requireUser, (req, res) => {
    sendPage(res, passwordPage(pageContext(req, demo)))
  })

  router.post('/password', requireUser, async (req, res) => {
    const form = {
      password: field(req.body, 'password'),
      newPassword: field(req.body, 'newPassword'),
    }
    sendOutcome(req, res, await changePasswordForm(demo.users, req.session, req.user!.id, form))
  })

  return router
}
