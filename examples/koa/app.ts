// The Koa getting-started app: typed data, CSRF, flash messages, login and logout.
// #region imports
import { csrf, session } from '@tessera/koa'
import Koa, { type Context } from 'koa'
import { checkPassword, findUser, homePage } from '../shared/users.js'
import type { AppSession } from './quick-start.js' // { views: number; cart: string[] }

// #endregion imports

// #region setup
const app = new Koa()
app.use(session<AppSession>({ secret: process.env.SESSION_SECRET!, idleTimeout: '30m' }))
app.use(csrf()) // every POST needs the session's token; reads the form itself
// #endregion setup

// #region home
async function home(ctx: Context) {
  ctx.session.views = (ctx.session.views ?? 0) + 1
  const userId = ctx.session.userId
  ctx.body = homePage({
    views: ctx.session.views,
    user: userId ? await findUser(userId) : null,
    messages: ctx.session.takeFlash('info'), // shown once, then gone
    csrfToken: ctx.session.csrfToken(),
  })
}
// #endregion home

// #region login
async function login(ctx: Context) {
  // csrf() parsed the urlencoded form (a body parser mounted before it would have, too)
  const form = (ctx.request as { body?: { name?: string; password?: string } }).body ?? {}
  const user = await checkPassword(String(form.name), String(form.password))
  if (!user) {
    ctx.session.flash('info', 'Wrong name or password.')
    return ctx.redirect('/')
  }
  await ctx.session.login(user.id) // new session id, data kept, indexed under the user
  ctx.session.flash('info', `Welcome, ${user.name}.`)
  ctx.redirect('/')
}
// #endregion login

// #region logout
async function logout(ctx: Context) {
  await ctx.session.logout() // record deleted, cookie cleared
  ctx.redirect('/')
}
// #endregion logout

// #region routes
app.use(async (ctx, next) => {
  const route = `${ctx.method} ${ctx.path}`
  if (route === 'GET /') return home(ctx)
  if (route === 'POST /login') return login(ctx)
  if (route === 'POST /logout') return logout(ctx)
  await next()
})

// #endregion routes

export { app }
