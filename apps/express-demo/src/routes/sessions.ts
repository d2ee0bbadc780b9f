import { type Demo, field, sessionList, sessionsPage } from '@tessera/demo-kit'
import { Router } from 'express'
import { requireUser } from '../guards.js'
import { pageContext, sendPage } from '../render.js'

/** "Your active sessions": list, revoke one, sign out everywhere else. */
export function sessionRoutes(demo: Demo): Router {
  const router = Router()
  router.use('/sessions', requireUser)

  router.get('/sessions', async (req, res) => {
    const list = await sessionList(() => req.session.listSessions())
    sendPage(res, sessionsPage(pageContext(req, demo), list))
  })

  router.post('/sessions/revoke', async (req, res) => {
    const revoked = await req.session.revokeSession(field(req.body, 'handle'))
    req.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
    res.redirect('/sessions')
  })

  router.post('/sessions/revoke-others', async (req, res) => {
    const count = await req.session.revokeOtherSessions()
    req.flash('info', `Signed out ${count} other session(s).`)
    res.redirect('/sessions')
  })

  return router
}
