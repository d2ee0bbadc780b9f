import Router from '@koa/router'
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
import { formOf, pageContext, sendOutcome, sendPage } from '../context.js'
import { requireUser } from '../middleware.js'

/** Registration, sign-in with `session.login()`, sign-out and the password change. */
export function accountRoutes(demo: Demo): Router {
  const router = new Router()

  router.get('/register', (ctx) => {
    sendPage(ctx, registerPage(pageContext(ctx, demo)))
  })

  router.post('/register', async (ctx) => {
    const form = formOf(ctx)
    const fields = { username: field(form, 'username'), password: field(form, 'password') }
    sendOutcome(ctx, await registerForm(demo.users, fields))
  })

  router.get('/login', (ctx) => {
    sendPage(ctx, loginPage(pageContext(ctx, demo)))
  })

  router.post('/login', async (ctx) => {
    const form = formOf(ctx)
    const user = await demo.users.authenticate(
      normalizeUsername(field(form, 'username')),
      field(form, 'password'),
    )
    if (!user) {
      ctx.session.flash('error', 'Wrong username or password.')
      return ctx.redirect('/login')
    }
    // A new session id (the pre-login cookie stops working), indexed under the account.
    await signIn(ctx.session, user.id)
    ctx.session.flash('info', `Signed in as ${user.username}.`)
    ctx.redirect('/')
  })

  router.post('/logout', async (ctx) => {
    // Deletes the session on the server and clears its cookie; the flash starts a new one.
    await ctx.session.logout()
    ctx.session.flash('info', 'You are signed out.')
    ctx.redirect('/')
  })

  router.get('/password', requireUser, (ctx) => {
    sendPage(ctx, passwordPage(pageContext(ctx, demo)))
  })

  router.post('/password', requireUser, async (ctx) => {
    const form = formOf(ctx)
    const fields = { password: field(form, 'password'), newPassword: field(form, 'newPassword') }
    sendOutcome(ctx, await changePasswordForm(demo.users, ctx.session, ctx.state.user!.id, fields))
  })

  return router
}
