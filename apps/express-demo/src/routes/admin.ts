import { adminPage, adminRows, type Demo, field, type SessionAdmin } from '@tessera/demo-kit'
import { Router } from 'express'
import { requireAdmin } from '../guards.js'
import { pageContext, sendPage } from '../render.js'

/** The admin dashboard: every user and every user's sessions, with "revoke". */
export function adminRoutes(demo: Demo, engine: SessionAdmin): Router {
  const router = Router()
  router.use('/admin', requireAdmin(demo))

  router.get('/admin', async (req, res) => {
    const rows = await adminRows(demo.users, engine, {
      userId: req.user!.id,
      listSessions: () => req.session.listSessions(),
    })
    sendPage(res, adminPage(pageContext(req, demo), { rows }))
  })

  router.post('/admin/revoke', async (req, res) => {
    const revoked = await engine.revokeSession(field(req.body, 'userId'), field(req.body, 'handle'))
    req.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
    res.redirect('/admin')
  })

  return router
}
