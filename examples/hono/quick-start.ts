// The Hono README's quick start.
// #region quick-start
import { csrf, type SessionEnv, session } from '@tessera/hono'
import { Hono } from 'hono'

interface AppSession {
  views: number
}

const app = new Hono<SessionEnv<AppSession>>()
app.use(session<AppSession>({ secret: process.env.SESSION_SECRET! }))
app.use(csrf())

app.get('/', (c) => {
  const views = c.var.session.update('views', (n) => (n ?? 0) + 1)
  return c.text(`${views} views`)
})
app.post('/login', async (c) => {
  await c.get('session').login('user-42') // new id, old record deleted
  return c.redirect('/')
})

export default app
// #endregion quick-start

export type { AppSession }
