import Router from '@koa/router'
import { type Demo, field, sessionList, sessionsPage } from '@tessera/demo-kit'
import { formOf, pageContext, sendPage } from '../context.js'
import { requireUser } from '../middleware.js'

/** "Your active sessions": list, revoke one, sign out everywhere else. */
export function sessionRoutes(demo: Demo): Router {
  const router = new Router({ prefix: '/sessions' })
  router.use(requireUser)

  router.get('/', async (ctx) => {
    const list = await sessionList(() => ctx.session.listSessions())
    sendPage(ctx, sessionsPage(pageContext(ctx, demo), list))
  })

  router.post('/revoke', async (ctx) => {
    const revoked = await ctx.session.revokeSession(field(formOf(ctx), 'handle'))
    ctx.session.flash('info', revoked ? 'Session revoked.' : 'That session had already ended.')
    ctx.redirect('/sessions')
  })

  router.post('/revoke-others', async (ctx) => {
    const count = await ctx.session.revokeOtherSessions()
    ctx.session.flash('info', `Signed out ${count} other session(s).`)
    ctx.redirect('/sessions')
  })

  return router
}
