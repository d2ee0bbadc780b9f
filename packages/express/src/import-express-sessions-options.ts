import type { IncomingMessage } from 'node:http'
import type { Duration, SessionLifetime } from '@tessera/core'
import type { LegacySessionStoreError } from './import-express-sessions-error.js'

/**
 * An express-session store, as express-session itself calls it: the callback API of
 * `get(sid, cb)` and `destroy(sid, cb)`. connect-redis, connect-pg-simple, connect-mongo,
 * connect-session-sequelize, session-file-store and express-session's `MemoryStore` all fit.
 */
export interface ExpressSessionStore {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): unknown
  destroy(sid: string, callback?: (error?: unknown) => void): unknown
}

/** An express-session record as the importer read it, for {@link ImportExpressSessionsOptions.lifetime}. */
export interface LegacySession {
  /** The record without express-session's own `cookie` field. */
  data: Record<string, unknown>
  /** `cookie.originalMaxAge` (ms), `null` for a browser-session cookie or when absent. */
  originalMaxAge: number | null
  /** `cookie.expires`, `null` for a browser-session cookie. */
  expires: Date | null
}

/** Why a legacy cookie was not moved into a Tessera session. */
export type LegacyIgnoredReason =
  /** No `s:<sid>.<signature>` value signed with one of `secret` (forged, or another app's). */
  | 'bad-signature'
  /** The record is not in the legacy store (expired there, destroyed, or never saved). */
  | 'not-found'
  /** The record's `cookie.expires` has passed. */
  | 'expired'
  /** The record holds nothing but express-session's `cookie` field. */
  | 'empty'
  /** The data is larger than the Tessera engine's `maxSize`. */
  | 'too-large'
  /** The legacy store failed or timed out (reported to `onError`); the cookie is kept for a retry. */
  | 'store-error'

/** What became of one request's legacy cookie; see {@link ImportExpressSessionsOptions.onEvent}. */
export type ImportExpressSessionsEvent =
  /** The legacy data is in this request's Tessera session (`shared`: a parallel request read it). */
  | { type: 'imported'; shared: boolean }
  /** The response carried the Tessera session (or the route ended it): the legacy record is deleted. */
  | { type: 'completed' }
  /**
   * The response did not carry the Tessera session (a 5xx, a withheld Secure cookie, an aborted
   * request): the legacy cookie and record stay, and the browser's next request tries again.
   */
  | { type: 'kept' }
  /** The legacy cookie was not imported; except after a store error it is cleared. */
  | { type: 'ignored'; reason: LegacyIgnoredReason }

/** The legacy cookie's attributes, as express-session's `cookie` options set them. */
export interface LegacyCookieOptions {
  /** express-session's `cookie.path`. Default `'/'`. */
  path?: string
  /** express-session's `cookie.domain`. Default: none (host-only). */
  domain?: string
  /**
   * Whether the clearing `Set-Cookie` carries `Secure`. Default `'auto'`: when the request is
   * HTTPS (`req.secure`) or the name has a `__Secure-`/`__Host-` prefix.
   */
  secure?: boolean | 'auto'
  /** express-session's `cookie.sameSite`. Default `'lax'`. */
  sameSite?: 'strict' | 'lax' | 'none'
  /** express-session's `cookie.partitioned` (a partitioned cookie is only cleared as one). Default `false`. */
  partitioned?: boolean
}

/**
 * Options of {@link importExpressSessions}: how express-session signed, named and stored its
 * sessions, so the browsers that still carry its cookie keep their session under Tessera.
 *
 * @example
 * ```ts
 * import { importExpressSessions, session } from '@tessera/express'
 * import { RedisStore } from '@tessera/redis'
 * import { RedisStore as LegacyRedisStore } from 'connect-redis'
 *
 * app.use(session({ secret: process.env.SESSION_SECRET!, store: new RedisStore({ client }) }))
 * app.use(
 *   importExpressSessions({
 *     secret: [process.env.OLD_SESSION_SECRET!], // express-session's `secret`, as it was
 *     name: 'connect.sid',
 *     store: new LegacyRedisStore({ client: redis, prefix: 'sess:' }),
 *   }),
 * )
 * app.use(passport.session())
 * ```
 */
export interface ImportExpressSessionsOptions {
  /** express-session's `secret`: a string or the list (every one verifies, any length). */
  secret: string | readonly string[]
  /** express-session's `name`. Default `'connect.sid'`. */
  name?: string
  /** The express-session store instance the app used (its callback `get` and `destroy`). */
  store: ExpressSessionStore
  /** The legacy cookie's `path` and `domain` (and more), so clearing it reaches the browser's copy. */
  cookie?: LegacyCookieOptions
  /**
   * The imported session's lifetime. Default: the legacy cookie's, a browser-session cookie
   * stays one and a persistent one gets `cookie.originalMaxAge` as its idle timeout (within
   * the engine's `maxLifetime`). Return `null` for the engine's own lifetime.
   */
  lifetime?: (legacy: LegacySession) => SessionLifetime | null
  /** Longest wait for one legacy store call. Default: the `storeTimeout` of `session()`. */
  storeTimeout?: Duration
  /**
   * How long a legacy session read by one request is handed to parallel requests carrying the
   * same cookie (in this process), so each response carries a session with the data. Default
   * `'10s'`; `0` turns it off.
   */
  shareWindow?: Duration
  /**
   * Receives legacy store failures. The request goes on with a fresh session and the legacy
   * cookie is kept. Default: `console.error` (silent when `NODE_ENV` is `'test'`).
   */
  onError?: (error: LegacySessionStoreError, req: IncomingMessage) => void
  /** Every legacy cookie the importer sees and what became of it: count the migration's progress. */
  onEvent?: (event: ImportExpressSessionsEvent, req: IncomingMessage) => void
}
