/**
 * `req.session.cookie`: the session cookie's attributes, shaped like express-session's
 * `Cookie`. Read-only except `maxAge` and `expires`, which change the lifetime of the cookie
 * issued by this response (see the README: they never extend the server-side timeouts).
 */
export interface SessionCookie {
  /** The lifetime the cookie was issued with, in ms; `null` for a browser-session cookie. */
  readonly originalMaxAge: number | null
  /** Milliseconds left; `null` for a browser-session cookie. Assign to change this response's cookie. */
  maxAge: number | null
  /** When the cookie expires; `null` for a browser-session cookie. Assign to change this response's cookie. */
  expires: Date | null
  readonly httpOnly: boolean
  readonly secure: boolean
  readonly sameSite: 'strict' | 'lax' | 'none'
  readonly path: string
  readonly domain: string | undefined
  readonly partitioned: boolean
  /** The cookie's name (not in express-session's `Cookie`, handy for logging). */
  readonly name: string
}
