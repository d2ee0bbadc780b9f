import type { IncomingMessage } from 'node:http'
import type { SessionOptions } from '@tessera/core'
import type { ExpressCookieAttributes, ExpressCookieOptions } from './express-cookie-options.js'

/**
 * Options of {@link session}: every core {@link SessionOptions} option, plus two that only
 * make sense under Express.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { session } from '@tessera/express'
 * import { KyselyStore } from '@tessera/kysely'
 *
 * const app = express()
 * app.set('trust proxy', 1) // behind one TLS-terminating proxy: Secure cookies still go out
 * app.use(
 *   session({
 *     secret: process.env.SESSION_SECRET!,
 *     store: new KyselyStore({ db }),
 *     idleTimeout: '30m',
 *     cookie: { name: '__Host-sid' },
 *   }),
 * )
 * app.get('/', (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1
 *   res.send(`${req.session.views} views`)
 * })
 * ```
 */
export interface ExpressSessionOptions extends Omit<SessionOptions, 'cookie'> {
  /**
   * The session cookie's attributes (see {@link ExpressCookieOptions}: core's, plus
   * express-session's `maxAge`, `secure: 'auto'` and `sameSite: 'auto'`), or a function of the
   * request returning the attributes that may differ per request (express-session 1.19).
   */
  cookie?: ExpressCookieOptions | ((req: IncomingMessage) => ExpressCookieAttributes)
  /** express-session's cookie name option; the same as `cookie.name`. */
  name?: string
  /**
   * express-session's `resave`: only `false`, which is what Tessera does (it writes only what
   * changed, and merges concurrent writes). Accepted so existing configurations run unchanged.
   */
  resave?: false
  /** express-session's `saveUninitialized`: only `false` (Tessera stores a session once it holds data). */
  saveUninitialized?: false
  /** express-session's `unset`: only `'destroy'` (`req.session = null` ends the session). */
  unset?: 'destroy'
  /**
   * Whether to believe `X-Forwarded-Proto` when deciding if the connection is secure, as in
   * express-session. `undefined` (default) follows Express's `trust proxy` setting
   * (`req.secure`); `true` trusts the header's first value; `false` trusts only a TLS socket.
   *
   * When `cookie.secure` is on (the default) and the request is not known to be secure, the
   * session cookie is withheld (like express-session) and a one-time warning says why: a
   * `Secure` cookie sent over plain HTTP would put the session id on the wire in clear.
   */
  proxy?: boolean
  /**
   * Receives errors that happen after the route finished, while saving the session (the
   * adapter has already answered 503 or 500 itself). Default: `console.error`, except when
   * `NODE_ENV` is `'test'` (as Express's own final handler does).
   */
  onError?: (error: unknown, req: IncomingMessage) => void
}
