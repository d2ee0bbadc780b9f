import Router from '@koa/router'
import { adminPage, adminRows, type Demo, field, type SessionAdmin } from '@tessera/demo-kit'
import { formOf, pageContext, sendPage } from '../context.js'
import { requireAdmin } from '../middleware.js'

/** The admin dashboard: every user and every user's sessions, with "revoke". */
export function adminRoutes(demo: Demo, engine: SessionAdmin): Router {
  const router = new Router({ prefix: '/admin' })
  router.use(requireAdmin(demo))

  router.get('/', async (ctx) => {
    const rows = await adminRows(demo.users, engine, {
      userId: ctx.state.user!.id,
      listSessions: () => ctx.session.listSessions(),
    })
    sendPage(ctx, adminPage(pageContext(ctx, demo), { rows }))
  })

  router.post('/revoke', async (ctx) => {
    const form = formOf(ctx)
    const revoked = await engine.revokeSession(field(form, 'userId'), field(form, 'handle'))
    ctx.session.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
    ctx.redirect('/admin')
  })

  return router
}
