import { bodyParser } from '@koa/bodyparser'
import { type Demo, type DemoSession, errorPage, STYLESHEET } from '@tessera/demo-kit'
import { csrf, session } from '@tessera/koa'
import Koa from 'koa'
import { pageContext, sendPage } from './context.js'
import { errorPages, loadUser } from './middleware.js'
import { accountRoutes } from './routes/account.js'
import { adminRoutes } from './routes/admin.js'
import { cartRoutes } from './routes/cart.js'
import { homeRoutes } from './routes/home.js'
import { sessionRoutes } from './routes/sessions.js'

/**
 * The Koa demo: a middleware stack (`session()`, error pages, body parser, `csrf()`, the
 * signed-in user) and one @koa/router per area. Sign-in is `ctx.session.login(userId)`.
 */
export function createApp(demo: Demo): Koa {
  const app = new Koa()
  const sessions = session<DemoSession>(demo.sessionOptions)
  const routers = [
    homeRoutes(demo),
    cartRoutes(demo),
    accountRoutes(demo),
    sessionRoutes(demo),
    adminRoutes(demo, sessions.engine),
  ]

  app.use(errorPages(demo, false))
  // Before session(): the stylesheet needs no session, so it costs no store read.
  app.use(async (ctx, next) => {
    if (ctx.path !== '/style.css') return next()
    ctx.type = 'css'
    ctx.set('cache-control', 'public, max-age=300')
    ctx.body = STYLESHEET
  })
  app.use(sessions)
  app.use(errorPages(demo, true))
  app.use(loadUser(demo))
  app.use(bodyParser({ enableTypes: ['form'], formLimit: '16kb' }))
  app.use(csrf())
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods())
  app.use((ctx) => {
    sendPage(ctx, errorPage(pageContext(ctx, demo), 404), 404)
  })
  return app
}
