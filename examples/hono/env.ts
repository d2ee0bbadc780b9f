import { type SessionVariables, session } from '@tessera/hono'
import { Hono } from 'hono'
import type { AppSession } from './quick-start.js'

// #region env
type Env = {
  Variables: SessionVariables<AppSession> & { requestId: string }
  Bindings: { SESSION_SECRET: string }
}
const app = new Hono<Env>()
// #endregion env

app.use(session<AppSession>({ secret: process.env.SESSION_SECRET! }))
app.use(async (c, next) => {
  c.set('requestId', crypto.randomUUID())
  await next()
})
app.get('/', (c) => {
  const views = c.var.session.update('views', (n) => (n ?? 0) + 1)
  return c.json({ views, requestId: c.var.requestId, hasSecret: Boolean(c.env?.SESSION_SECRET) })
})

export { app }
