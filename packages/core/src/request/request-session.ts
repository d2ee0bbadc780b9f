import type { CookieAttributes } from '../cookie/cookie.js'
import type { Session, SessionData } from '../session/session.js'

/** What an adapter knows of the incoming request, as plain values. */
export interface IncomingRequestInfo {
  /** The raw `Cookie` header, if any. */
  cookie?: string | null | undefined
  /** Reads a request header by lower-case name; needed with `idFrom: { header }`. */
  header?: ((name: string) => string | null | undefined) | undefined
  /** Stored with the session for "your active sessions" lists. */
  userAgent?: string | null | undefined
  /**
   * The client IP as the adapter trusts it (proxy settings applied); read only with `trackIp`
   * or IP binding on, so adapters pass a function.
   */
  ip?: (() => string | null | undefined) | undefined
}

/** Headers to add to the response, lower-case names; `set-cookie` may repeat. */
export type ResponseHeaders = Array<[name: string, value: string]>

/**
 * Cookie attributes one response may set differently (express-session lets a route change
 * `req.session.cookie.secure` and friends); checked like the options, so a `__Host-` cookie
 * stays Secure and `SameSite=None` needs Secure.
 */
export type CookieOverrides = Partial<
  Pick<
    CookieAttributes,
    'secure' | 'httpOnly' | 'sameSite' | 'path' | 'domain' | 'partitioned' | 'priority'
  >
>

export interface CommitOptions {
  /** The response status; 5xx saves nothing unless `saveOnServerError`. */
  status?: number
  /**
   * `false` when the adapter will not deliver a cookie (a Secure cookie on a plain-HTTP
   * request): a new session is then not stored, since nothing could carry its id. Default `true`.
   */
  canSetCookie?: boolean
  /** This response's cookie attributes, where they differ from the options. */
  cookie?: CookieOverrides
}

/**
 * The engine's per-request object, what a framework adapter drives:
 *
 * ```ts
 * const rs = engine.start({ cookie: req.headers.cookie, userAgent: req.headers['user-agent'] })
 * await rs.load()                 // one store read, only if the request carries a valid signed id
 * route(rs.session)               // synchronous data access
 * const headers = await rs.commit({ status: res.statusCode })  // store write, then headers
 * for (const [name, value] of headers) res.appendHeader(name, value)
 * ```
 */
export interface RequestSession<Data extends object = SessionData> {
  readonly session: Session<Data>
  /**
   * True when the request presented a session id value (cookie or header), valid or not.
   * `load()` verifies it, reading the store only for a correctly signed one; a value that
   * leads nowhere is cleared by the response.
   */
  readonly hasIncomingId: boolean
  /** True once `load()` finished, or from the start when {@link RequestSession.readsOnUse}. */
  readonly loaded: boolean
  /**
   * True while the incoming id waits to be read on the route's first use of the session (a
   * sealed cookie under a synchronous crypto provider). Until then the commit has nothing to
   * do: a route that never uses the session gets no header and pays no decryption.
   */
  readonly readsOnUse: boolean
  /** Reads the record for the incoming id (once; later calls return the same promise). */
  load(): Promise<void>
  /**
   * Saves what changed (conditional write, re-applied on conflict), moves the expiry if due,
   * and returns the headers the response needs. Call once, before the response's headers go out.
   */
  commit(options?: CommitOptions): Promise<ResponseHeaders>
  /**
   * {@link RequestSession.commit} without a promise when nothing has to be written (a
   * read-only request whose touch is not due, a request that never used the session): the
   * headers at once, or a promise of them. For adapters on a hot path.
   */
  finish(options?: CommitOptions): ResponseHeaders | Promise<ResponseHeaders>
}
