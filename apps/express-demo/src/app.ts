import './session-data.js'
import {
  type Demo,
  errorMessage,
  errorPage,
  errorStatus,
  logError,
  STYLESHEET,
} from '@tessera/demo-kit'
import { csrf, flash, session } from '@tessera/express'
import express, { type ErrorRequestHandler } from 'express'
import { createPassport } from './passport.js'
import { errorContext, pageContext, sendPage } from './render.js'
import { accountRoutes } from './routes/account.js'
import { adminRoutes } from './routes/admin.js'
import { cartRoutes } from './routes/cart.js'
import { homeRoutes } from './routes/home.js'
import { sessionRoutes } from './routes/sessions.js'

/**
 * The Express demo: express-session style middleware (`session()`, `flash()`, `csrf()`),
 * passport + passport-local for signing in, routers per area, one error handler.
 */
export function createApp(demo: Demo): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)

  // Before session(): the stylesheet needs no session, so it costs no store read.
  app.get('/style.css', (_req, res) => {
    res.type('css').set('cache-control', 'public, max-age=300').send(STYLESHEET)
  })

  const sessions = session(demo.sessionOptions)
  const auth = createPassport(demo.users)
  app.use(express.urlencoded({ extended: false, limit: '16kb' }))
  app.use(sessions)
  app.use(flash())
  app.use(auth.session())
  app.use(csrf())

  app.use(homeRoutes(demo))
  app.use(cartRoutes(demo))
  app.use(accountRoutes(demo, auth))
  app.use(sessionRoutes(demo))
  app.use(adminRoutes(demo, sessions.engine))

  app.use((req, res) => {
    sendPage(res, errorPage(pageContext(req, demo), 404), 404)
  })
  app.use(errorHandler(demo))
  return app
}

function errorHandler(demo: Demo): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error)
    const status = errorStatus(error)
    logError(error)
    sendPage(res, errorPage(errorContext(req, demo), status, errorMessage(error)), status)
  }
}
