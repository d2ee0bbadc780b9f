/**
 * Options of {@link csrf}.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { csrf, session, type SessionEnv } from '@tessera/hono'
 *
 * const app = new Hono<SessionEnv>()
 * app.use(session({ secret: 'replace-with-a-secret-of-32-chars-or-more' }))
 * app.use(csrf({ header: 'x-xsrf-token', field: '_token', bodyLimit: 16 * 1024 }))
 * app.get('/form', (c) =>
 *   c.html(`<form method="post"><input type="hidden" name="_token" value="${c.var.session.csrfToken()}"></form>`),
 * )
 * app.post('/form', (c) => c.text('saved'))
 * ```
 */
export interface CsrfOptions {
  /** Request header that carries the token. Default `'x-csrf-token'`. */
  header?: string
  /** Form (urlencoded or multipart) or JSON body field that carries the token. Default `'_csrf'`. */
  field?: string
  /** Methods that need the token. Default `['POST', 'PUT', 'PATCH', 'DELETE']`. */
  methods?: readonly string[]
  /**
   * Largest body (bytes) read to find the field. A larger body is refused (403) unless the
   * token came in the header. Default 102400.
   */
  bodyLimit?: number
}
