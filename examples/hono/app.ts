// The Hono getting-started app: typed data, CSRF, flash messages, login and logout.
// #region imports
import { csrf, type SessionEnv, session } from '@tessera/hono'
import { Hono } from 'hono'
import { checkPassword, findUser, homePage } from '../shared/users.js'
import type { AppSession } from './quick-start.js' // { views: number }

// #endregion imports

// #region setup
const app = new Hono<SessionEnv<AppSession>>()
app.use(session<AppSession>({ secret: process.env.SESSION_SECRET!, idleTimeout: '30m' }))
app.use(csrf()) // every POST needs the session's token; the body stays readable
// #endregion setup

// #region home
app.get('/', async (c) => {
  const session = c.var.session
  const views = session.update('views', (n) => (n ?? 0) + 1)
  return c.html(
    homePage({
      views,
      user: session.userId ? await findUser(session.userId) : null,
      messages: session.takeFlash('info'), // shown once, then gone
      csrfToken: session.csrfToken(),
    }),
  )
})
// #endregion home

// #region login
app.post('/login', async (c) => {
  const form = await c.req.parseBody()
  const user = await checkPassword(String(form.name), String(form.password))
  const session = c.var.session
  if (!user) {
    session.flash('info', 'Wrong name or password.')
    return c.redirect('/')
  }
  await session.login(user.id) // new session id, data kept, indexed under the user
  session.flash('info', `Welcome, ${user.name}.`)
  return c.redirect('/')
})
// #endregion login

// #region logout
app.post('/logout', async (c) => {
  await c.var.session.logout() // record deleted, cookie cleared
  return c.redirect('/')
})

// #endregion logout

export { app }
