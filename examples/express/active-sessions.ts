import { MemoryStore } from '@tessera/core'
import { session } from '@tessera/express'
import express from 'express'
import { checkPassword } from '../shared/users.js'

// "Your active sessions", revocation, and signing a user out everywhere. The same session
// methods exist on every adapter (`ctx.session` on Koa, `c.var.session` on Hono).
const app = express()
app.use(express.urlencoded({ extended: false }))

// #region setup
const sessions = session({
  secret: process.env.SESSION_SECRET!,
  store: new MemoryStore(), // any store with a per-user index: Redis, Kysely, MongoDB, file
  maxSessionsPerUser: 5, // a sixth login signs the least recently used one out
})
app.use(sessions)
// #endregion setup

app.post('/login', async (req, res) => {
  const user = await checkPassword(String(req.body.name), String(req.body.password))
  if (!user) return res.sendStatus(401)
  await req.session.login(user.id)
  res.redirect('/sessions')
})

// #region list
app.get('/sessions', async (req, res) => {
  const list = await req.session.listSessions() // least recently used first
  res.json(
    list.map(({ handle, userAgent, lastSeenAt, current }) => ({
      handle, // opaque (a hash of the id): safe to put in a page
      userAgent,
      lastSeenAt: new Date(lastSeenAt).toISOString(),
      current,
    })),
  )
})
// #endregion list

// #region revoke
app.post('/sessions/revoke', async (req, res) => {
  // false when the handle is not one of this user's sessions
  const revoked = await req.session.revokeSession(String(req.body.handle))
  res.json({ revoked })
})
// #endregion revoke

// #region password-change
app.post('/password', async (req, res) => {
  // ...after checking the old password and storing the new one:
  await req.session.regenerate({ keepData: true }) // a new id for this session, too
  const signedOut = await req.session.revokeOtherSessions()
  res.json({ signedOut })
})
// #endregion password-change

// #region disable-user
// Outside any request (an admin action, a job): the middleware's engine.
export async function disableUser(userId: string): Promise<number> {
  return sessions.engine.revokeUserSessions(userId) // how many sessions ended
}
// #endregion disable-user

export { app }
