import {
  type Demo,
  type DemoSession,
  errorMessage,
  errorPage,
  errorStatus,
  logError,
  STYLESHEET,
} from '@tessera/demo-kit'
import { csrf, session } from '@tessera/hono'
import { Hono } from 'hono'
import { type AppEnv, errorContext, page, pageContext } from './env.js'
import { loadUser } from './middleware.js'
import { accountRoutes } from './routes/account.js'
import { adminRoutes } from './routes/admin.js'
import { cartRoutes } from './routes/cart.js'
import { homeRoutes } from './routes/home.js'
import { sessionRoutes } from './routes/sessions.js'

/**
 * The Hono demo: `session()`, `csrf()` and the signed-in user as middleware, one sub-app per
 * area mounted with `app.route()`, `onError` and `notFound` for the error pages. Sign-in is
 * `c.var.session.login(userId)`.
 */
export function createApp(demo: Demo): Hono<AppEnv> {
  const sessions = session<DemoSession>(demo.sessionOptions)
  const app = new Hono<AppEnv>()

  // Registered before session(): the stylesheet answers without a store read.
  app.get('/style.css', (c) => {
    c.header('cache-control', 'public, max-age=300')
    return c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8' })
  })
  app.use(sessions)
  app.use(loadUser(demo))
  app.use(csrf())

  app.route('/', homeRoutes(demo))
  app.route('/cart', cartRoutes(demo))
  app.route('/', accountRoutes(demo))
  app.route('/sessions', sessionRoutes(demo))
  app.route('/admin', adminRoutes(demo, sessions.engine))

  app.notFound((c) => page(c, errorPage(pageContext(c, demo), 404), 404))
  app.onError((error, c) => {
    const status = errorStatus(error)
    logError(error)
    c.header('cache-control', 'no-store')
    return c.html(
      errorPage(errorContext(c, demo), status, errorMessage(error)).value,
      status as 403,
    )
  })
  return app
}
