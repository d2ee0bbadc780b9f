import { adminPage, adminRows, type Demo, field, type SessionAdmin } from '@tessera/demo-kit'
import { Hono } from 'hono'
import { type AppEnv, formOf, page, pageContext } from '../env.js'
import { requireAdmin } from '../middleware.js'

/** The admin dashboard: every user and every user's sessions, with "revoke". */
export function adminRoutes(demo: Demo, engine: SessionAdmin) {
  return new Hono<AppEnv>()
    .use(requireAdmin(demo))
    .get('/', async (c) => {
      const rows = await adminRows(demo.users, engine, {
        userId: c.var.user!.id,
        listSessions: () => c.var.session.listSessions(),
      })
      return page(c, adminPage(pageContext(c, demo), { rows }))
    })
    .post('/revoke', async (c) => {
      const form = await formOf(c)
      const revoked = await engine.revokeSession(field(form, 'userId'), field(form, 'handle'))
      c.var.session.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
      return c.redirect('/admin')
    })
}
