import type { Session } from '@tessera/core'
import type { SessionCookie } from './session-cookie.js'

/**
 * The shape of your session data. Augment it to type `req.session`, as with express-session:
 *
 * @example
 * ```ts
 * declare module '@tessera/express' {
 *   interface SessionData {
 *     views: number
 *     cart: string[]
 *   }
 * }
 *
 * app.get('/', (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1 // number | undefined
 *   req.session.update('cart', (cart) => [...(cart ?? []), 'apple'])
 * })
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface SessionData {}

/**
 * {@link SessionData} as the core {@link Session} sees it: once you declare keys, exactly those
 * (so `req.session.get('typo')` does not compile, as `req.session.typo` does not); before, any
 * key, as `unknown`.
 */
export type SessionRecord = [keyof SessionData] extends [never]
  ? Record<string, unknown>
  : { [K in keyof SessionData]: SessionData[K] }

/**
 * Names `req.session` reserves for the session API (`id`, `userId`, `cookie`, `regenerate`,
 * `save`, …): data under such a name is reachable only through `get()`/`set()`, so
 * {@link SessionData} must not declare them.
 */
export type ReservedSessionName = keyof ExpressSession | 'toJSON'

/**
 * What `req.session` becomes when {@link SessionData} declares a reserved name: a type whose
 * only member names the mistake, so every use of `req.session` fails to compile and says why.
 */
export interface SessionDataDeclaresReservedNames<Names extends string> {
  /** Rename these keys in your `SessionData` declaration: they are session API members. */
  readonly 'rename these SessionData keys: they are reserved by the session API': Names
}

/** Node-style callback of the express-session compatible methods. */
export type SessionCallback = (error?: unknown) => void

/**
 * `req.session`: Tessera's {@link Session} (the same object the Koa and Hono adapters hand
 * out) that also behaves like express-session's `Session`, so passport and other
 * express-session middleware run unchanged.
 *
 * - Data is reachable as properties (`req.session.views = 1`, `req.session.cart.push(x)`)
 *   and through `get`/`set`/`update`; nested mutation is saved.
 * - `regenerate`, `save`, `destroy` and `reload` take an optional callback; without one they
 *   return a promise.
 * - `regenerate(callback)` and `await regenerate()` both follow express-session: new id,
 *   old record deleted, data cleared. `await regenerate({ keepData: true })` keeps the data.
 */
export interface ExpressSession
  extends Omit<Session<SessionRecord>, 'regenerate' | 'destroy' | 'reload' | 'save' | 'touch'> {
  /** The session cookie's attributes, like express-session's `req.session.cookie`. */
  readonly cookie: SessionCookie
  /**
   * A new id and a fresh, empty session (express-session semantics); with `keepData: true`
   * the data moves to the new id instead. The old record is deleted.
   */
  regenerate(options?: { keepData?: boolean }): Promise<void>
  /** A new id and a fresh, empty session, as express-session's `regenerate(cb)`. */
  regenerate(callback: SessionCallback): void
  /** Deletes the record and clears the cookie. `req.session` stays usable: writes start a new session. */
  destroy(): Promise<void>
  destroy(callback: SessionCallback): void
  /** Re-reads the stored record, dropping unsaved changes. */
  reload(): Promise<void>
  reload(callback: SessionCallback): void
  /** Writes pending changes now (otherwise they are written before the response goes out). */
  save(): Promise<void>
  save(callback: SessionCallback): void
  /** Moves the expiry at commit even if `touchInterval` has not passed. */
  touch(): this
  /** express-session's alias of {@link ExpressSession.touch}. */
  resetMaxAge(): this
}

type DeclaredReserved = Extract<keyof SessionData, ReservedSessionName>

/**
 * The type of `req.session`: the session API plus your {@link SessionData} as properties (or,
 * when `SessionData` declares a reserved name, {@link SessionDataDeclaresReservedNames}).
 */
export type RequestSessionObject = [DeclaredReserved] extends [never]
  ? ExpressSession & Partial<SessionData>
  : SessionDataDeclaresReservedNames<DeclaredReserved & string>

declare global {
  namespace Express {
    interface Request {
      /** Set by `@tessera/express`'s `session()` middleware. */
      session: RequestSessionObject
      /** The session id, as in express-session (a new session gets one on first read). */
      sessionID: string
      /** The session's CSRF token; set by `@tessera/express`'s `csrf()` middleware. */
      csrfToken(): string
      /** Adds a flash message (connect-flash API); set by `@tessera/express`'s `flash()` middleware. */
      flash(type: string, message: unknown): void
      /** Takes the flash messages under `type`; set by `@tessera/express`'s `flash()` middleware. */
      flash(type: string): unknown[]
    }
  }
}
