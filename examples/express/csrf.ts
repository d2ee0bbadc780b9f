import { csrf, session } from '@tessera/express'
import express from 'express'

const secret = process.env.SESSION_SECRET!
const app = express()

// #region csrf
app.use(session({ secret }))
app.use(csrf())
app.get('/profile', (_req, res) => {
  const token = res.locals.csrfToken // or req.csrfToken()
  res.send(
    `<form method="post"><input type="hidden" name="_csrf" value="${token}"><button>Save</button></form>`,
  )
})
app.post('/profile', (_req, res) => {
  res.send('Saved.') // only reached with the right token
})

// #endregion csrf

export { app }
