// docs/migrating-from-express-session.md: switching an express-session app to Tessera
// without signing anyone out. `legacyStore` is the store the app gave express-session (for
// example `new RedisStore({ client, prefix: 'sess:' })` from connect-redis): keep building it
// as before until the migration window is over.
import {
  type ExpressSessionStore,
  importExpressSessions,
  type SessionStore,
  session,
} from '@tessera/express'
import express from 'express'
import passport from 'passport'
import { findUser } from '../shared/users.js'

/** The app after the switch: Tessera's `session()`, then the importer, then passport as before. */
export function createApp(legacyStore: ExpressSessionStore, store?: SessionStore) {
  const app = express()
  app.set('trust proxy', 1) // as before: behind a TLS-terminating proxy
  // #region import
  app.use(session({ secret: process.env.SESSION_SECRET!, store })) // e.g. @tessera/redis's RedisStore
  app.use(
    importExpressSessions({
      secret: [process.env.OLD_SESSION_SECRET!], // express-session's `secret`, every one it had
      name: 'connect.sid', // express-session's `name`
      store: legacyStore, // express-session's `store`
    }),
  )
  app.use(passport.session()) // unchanged: req.user is there on the first request
  // #endregion import

  passport.deserializeUser((id: string, done) =>
    findUser(id).then((user) => done(null, user), done),
  )
  app.get('/', (req, res) => {
    const user = req.user as { name: string } | undefined
    res.send(user ? `Signed in as ${user.name}` : 'Signed out')
  })
  return app
}
