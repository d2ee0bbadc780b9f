import {
  changePasswordForm,
  type Demo,
  field,
  loginPage,
  normalizeUsername,
  passwordPage,
  registerForm,
  registerPage,
  signIn,
} from '@tessera/demo-kit'
import { Hono } from 'hono'
import { type AppEnv, formOf, page, pageContext, sendOutcome } from '../env.js'
import { requireUser } from '../middleware.js'

/** Registration, sign-in with `session.login()`, sign-out and the password change. */
export function accountRoutes(demo: Demo) {
  return new Hono<AppEnv>()
    .get('/register', (c) => page(c, registerPage(pageContext(c, demo))))
    .post('/register', async (c) => {
      const form = await formOf(c)
      const fields = { username: field(form, 'username'), password: field(form, 'password') }
      return sendOutcome(c, await registerForm(demo.users, fields))
    })
    .get('/login', (c) => page(c, loginPage(pageContext(c, demo))))
    .post('/login', async (c) => {
      const session = c.var.session
      const form = await formOf(c)
      const user = await demo.users.authenticate(
        normalizeUsername(field(form, 'username')),
        field(form, 'password'),
      )
      if (!user) {
        session.flash('error', 'Wrong username or password.')
        return c.redirect('/login')
      }
      // A new session id (the pre-login cookie stops working), indexed under the account.
      await signIn(session, user.id)
      session.flash('info', `Signed in as ${user.username}.`)
      return c.redirect('/')
    })
    .post('/logout', async (c) => {
      // Deletes the session on the server and clears its cookie; the flash starts a new one.
      await c.var.session.logout()
      c.var.session.flash('info', 'You are signed out.')
      return c.redirect('/')
    })
    .get('/password', requireUser, (c) => page(c, passwordPage(pageContext(c, demo))))
    .post('/password', requireUser, async (c) => {
      const form = await formOf(c)
      const fields = { password: field(form, 'password'), newPassword: field(form, 'newPassword') }
      return sendOutcome(
        c,
        await changePasswordForm(demo.users, c.var.session, c.var.user!.id, fields),
      )
    })
}
