import { type Demo, field, sessionList, sessionsPage } from '@tessera/demo-kit'
import { Hono } from 'hono'
import { type AppEnv, formOf, page, pageContext } from '../env.js'
import { requireUser } from '../middleware.js'

/** "Your active sessions": list, revoke one, sign out everywhere else. */
export function sessionRoutes(demo: Demo) {
  return new Hono<AppEnv>()
    .use(requireUser)
    .get('/', async (c) => {
      const list = await sessionList(() => c.var.session.listSessions())
      return page(c, sessionsPage(pageContext(c, demo), list))
    })
    .post('/revoke', async (c) => {
      const revoked = await c.var.session.revokeSession(field(await formOf(c), 'handle'))
      c.var.session.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
      return c.redirect('/sessions')
    })
    .post('/revoke-others', async (c) => {
      const count = await c.var.session.revokeOtherSessions()
      c.var.session.flash('info', `Signed out ${count} other session(s).`)
      return c.redirect('/sessions')
    })
}
