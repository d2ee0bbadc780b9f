import { session } from '@tessera/express'
import express from 'express'
import { checkPassword } from '../shared/users.js'

// The README's tour of `req.session`, inside a route that signs alice in.
const app = express()
app.use(session({ secret: process.env.SESSION_SECRET! }))

app.post('/tour', async (req, res) => {
  const user = (await checkPassword('alice', 'wonderland'))!
  // #region session-api
  req.session.cart ??= []
  req.session.cart.push('apple') // saved: nested mutation is detected
  req.session.update('cart', (cart = []) => [...cart, 'pear']) // survives concurrent requests
  req.session.flash('info', 'Saved.')
  await req.session.login(user.id) // new id, indexed under the user
  // #endregion session-api
  res.json({ cart: req.session.cart, flash: req.session.takeFlash('info') })
})

// The next request of the same browser lists the signed-in user's sessions.
app.get('/sessions', async (req, res) => {
  res.json(await req.session.listSessions())
})

export { app }
