/**
 * `req.session.cookie`: the session cookie's attributes, shaped like express-session's
 * `Cookie` and writable like it. `maxAge` and `expires` change the session's own lifetime
 * (idle timeout and cookie Max-Age, remembered with the session, within `maxLifetime`);
 * `null` makes it a browser-session cookie. The other attributes change this response's
 * cookie, checked like the options (a `__Host-` cookie stays Secure).
 */
export interface SessionCookie {
  /** The lifetime the cookie was issued with, in ms; `null` for a browser-session cookie. */
  readonly originalMaxAge: number | null
  /** Milliseconds left; `null` for a browser-session cookie. Assign to change the session's lifetime. */
  maxAge: number | null
  /** When the cookie expires; `null` for a browser-session cookie. Assign to change the session's lifetime. */
  get expires(): Date | null
  set expires(value: Date | null | false)
  httpOnly: boolean
  secure: boolean
  /** `true` reads back as `'strict'`, as express-session treats it. */
  get sameSite(): 'strict' | 'lax' | 'none'
  set sameSite(value: 'strict' | 'lax' | 'none' | true)
  path: string
  domain: string | undefined
  partitioned: boolean
  priority: 'low' | 'medium' | 'high' | undefined
  /** The cookie's name (not in express-session's `Cookie`, handy for logging). */
  readonly name: string
}
