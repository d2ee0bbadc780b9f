// The Express getting-started app: typed data, CSRF, flash messages, login and logout.
// #region imports
import { csrf, session } from '@tessera/express'
import express from 'express'
import { checkPassword, findUser, homePage } from '../shared/users.js'

// #endregion imports

// #region setup
const app = express()
app.use(express.urlencoded({ extended: false })) // login form fields in req.body
app.use(session({ secret: process.env.SESSION_SECRET!, idleTimeout: '30m' }))
app.use(csrf()) // every POST needs the session's token
// #endregion setup

// #region home
app.get('/', async (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1
  const userId = req.session.userId
  res.send(
    homePage({
      views: req.session.views,
      user: userId ? await findUser(userId) : null,
      messages: req.session.takeFlash('info'), // shown once, then gone
      csrfToken: req.csrfToken(),
    }),
  )
})
// #endregion home

// #region login
app.post('/login', async (req, res) => {
  const user = await checkPassword(String(req.body.name), String(req.body.password))
  if (!user) {
    req.session.flash('info', 'Wrong name or password.')
    return res.redirect('/')
  }
  await req.session.login(user.id) // new session id, data kept, indexed under the user
  req.session.flash('info', `Welcome, ${user.name}.`)
  res.redirect('/')
})
// #endregion login

// #region logout
app.post('/logout', async (req, res) => {
  await req.session.logout() // record deleted, cookie cleared
  res.redirect('/')
})

// #endregion logout

export { app }
