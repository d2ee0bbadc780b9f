/**
 * Options of {@link csrf}.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { csrf, session } from '@tessera/koa'
 *
 * const app = new Koa()
 * app.use(session({ secret: process.env.SESSION_SECRET! }))
 * app.use(csrf({ header: 'x-xsrf-token', field: '_token', bodyLimit: 16 * 1024 }))
 * app.use((ctx) => {
 *   // GET pages embed the token: <input type="hidden" name="_token" value="…">
 *   ctx.body = { token: ctx.session.csrfToken() }
 * })
 * ```
 */
export interface CsrfOptions {
  /** Request header that carries the token. Default `'x-csrf-token'`. */
  header?: string
  /** Form or JSON body field that carries the token. Default `'_csrf'`. */
  field?: string
  /** Methods that need the token. Default `['POST', 'PUT', 'PATCH', 'DELETE']`. */
  methods?: readonly string[]
  /**
   * Largest body (bytes) read to find the field when no body parser ran before `csrf()`.
   * A larger body is refused (403) unless the token came in the header. Default 102400.
   */
  bodyLimit?: number
}
