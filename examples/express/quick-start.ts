// The Express README's quick start.
// #region quick-start
import { session } from '@tessera/express'
import express from 'express'

const app = express()
app.set('trust proxy', 1) // behind a TLS-terminating proxy
app.use(session({ secret: process.env.SESSION_SECRET! })) // 32+ characters

app.get('/', (req, res) => {
  req.session.views = (req.session.views ?? 0) + 1
  res.send(`You have been here ${req.session.views} times`)
})

// #endregion quick-start

export { app }
