/**
 * Options of {@link csrf}.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { csrf, session } from '@tessera/express'
 *
 * const app = express()
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(express.urlencoded({ extended: false })) // optional: csrf() reads forms itself
 * app.use(csrf({ header: 'x-csrf-token', field: '_csrf' }))
 *
 * app.get('/form', (req, res) => {
 *   res.send(`<form method="post"><input type="hidden" name="_csrf" value="${res.locals.csrfToken}"></form>`)
 * })
 * app.post('/form', (req, res) => res.send('ok')) // 403 without the right token
 * ```
 */
export interface CsrfOptions {
  /** Request header that carries the token (for `fetch` and API clients). Default `'x-csrf-token'`. */
  header?: string
  /** Form field (or parsed-body property) that carries the token. Default `'_csrf'`. */
  field?: string
  /** Methods that need no token. Default `['GET', 'HEAD', 'OPTIONS', 'TRACE']`; every other method does. */
  safeMethods?: readonly string[]
  /**
   * Largest `application/x-www-form-urlencoded` body `csrf()` reads itself when no body parser
   * ran before it, in bytes; larger bodies fail with 413. Default 65536.
   */
  bodyLimit?: number
}
