import type { CryptoProvider } from '../crypto/crypto-provider.js'
import type { ExclusiveOptions } from '../engine/exclusive-sections.js'
import type { SessionEvents } from '../engine/session-events.js'
import type { SessionMetrics } from '../engine/session-metrics.js'
import type { SessionSerializer } from '../engine/session-serializer.js'
import type { CookieStore } from '../stores/cookie-store.js'
import type { SessionStore } from '../stores/session-store.js'
import type { BindingOptions } from './binding-options.js'
import type { RotationOptions } from './rotation-options.js'
import type { SessionLifetime } from './session-lifetime.js'

/** A duration: milliseconds, or a string such as `'90s'`, `'30m'`, `'12h'`, `'7d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd' | 'w'}`

/** How the session cookie is written. Secure defaults: HttpOnly, Secure, SameSite=Lax, Path=/. */
export interface SessionCookieOptions {
  /** Cookie name. Default `'tessera.sid'`; a `__Host-` name requires `secure`, `path: '/'`, no `domain`. */
  name?: string
  domain?: string
  /** Default `'/'`. */
  path?: string
  /** Default `true`. Set `false` only for plain-HTTP development. */
  secure?: boolean
  /** Default `true`. */
  httpOnly?: boolean
  /** Default `'lax'`. `'none'` requires `secure`. */
  sameSite?: 'strict' | 'lax' | 'none'
  /** CHIPS partitioned cookie. Default `false`. */
  partitioned?: boolean
  /**
   * `true` (default): the cookie carries Max-Age up to the absolute timeout, so it survives
   * a browser restart. `false`: a browser-session cookie.
   */
  persistent?: boolean
  /** Chrome's `Priority` attribute (`Low`, `Medium`, `High`); absent by default. */
  priority?: 'low' | 'medium' | 'high'
}

/** Where the session id travels. */
export type SessionIdSource = 'cookie' | { header: string }

/**
 * Options of {@link createSessionEngine} and of every framework adapter's `session()`.
 *
 * @example
 * ```ts
 * import { createSessionEngine, MemoryStore } from '@tessera/core'
 *
 * interface Data { views: number; cart: string[] }
 *
 * const engine = createSessionEngine<Data>({
 *   secret: [process.env.SESSION_SECRET!, process.env.OLD_SESSION_SECRET!],
 *   store: new MemoryStore(),
 *   idleTimeout: '30m',
 *   absoluteTimeout: '7d',
 *   cookie: { name: '__Host-sid' },
 * })
 * ```
 */
export interface SessionOptions {
  /**
   * Secret(s) for the cookie's HMAC, each at least 32 characters. The first signs; all
   * verify, so a new secret goes first and the old one stays until its cookies expire.
   */
  secret: string | readonly string[]
  /**
   * Where sessions live. Default: a {@link MemoryStore} (one process only; not for
   * production). A {@link CookieStore} keeps the whole session sealed in the cookie instead.
   */
  store?: SessionStore | CookieStore
  cookie?: SessionCookieOptions
  /** Default `'cookie'`. `{ header: 'x-session-id' }` reads and returns the id in a header instead. */
  idFrom?: SessionIdSource
  /** A session unused this long expires (rolling). Default `'24h'`. */
  idleTimeout?: Duration
  /** A session older than this expires whatever its use. `false` disables. Default `'7d'`. */
  absoluteTimeout?: Duration | false
  /**
   * An unchanged session has its expiry moved at most once per interval, so read-only
   * traffic costs one store read. Default `'5m'` (or half the idle timeout if that is shorter).
   */
  touchInterval?: Duration
  /** Every store call fails with `SessionStoreError` after this long. Default `'5s'`. */
  storeTimeout?: Duration
  /** Largest serialized (and encrypted) session in bytes. Default 524288 (512 KiB). */
  maxSize?: number
  /** How often a commit that lost a version race re-reads and re-applies. Default 50. */
  maxCommitRetries?: number
  /** Evict a user's least recently used sessions beyond this many at login. Needs `listByUser`. */
  maxSessionsPerUser?: number
  /**
   * Defaults of `session.exclusive()` (wait and lease times). Giving it also checks at start-up
   * that the store has leases (`lock`/`unlock`), so a store without them fails then, not on
   * the first exclusive section.
   */
  exclusive?: ExclusiveOptions
  /** Replace session ids on a timer, with a grace window and reuse detection. Off by default. */
  rotation?: RotationOptions
  /**
   * Store the client IP (as the adapter sees it: `trust proxy` / `app.proxy` / `proxy`) when a
   * session is created and when it is last seen from another one; `listSessions()` returns
   * them. Default `false`.
   */
  trackIp?: boolean
  /** Compare each request with what the session was created with. Off by default. */
  binding?: BindingOptions
  /** Receives store-call latencies and session events for metrics (see `@tessera/opentelemetry`). */
  metrics?: SessionMetrics
  /** Encrypt payloads at rest with AES-256-GCM. The first key encrypts; all decrypt. */
  encryption?: { keys: string | readonly string[] }
  /** Data serializer. Default JSON. */
  serializer?: SessionSerializer
  /** Save changes when the response status is 5xx. Default `false`. */
  saveOnServerError?: boolean
  /** Crypto primitives. Default: Node's synchronous `node:crypto` when the runtime offers it, else Web Crypto. */
  crypto?: CryptoProvider
  /** Clock in ms since the epoch; tests inject one. Default `Date.now`. */
  now?: () => number
  /**
   * Re-send the cookie, with a fresh Max-Age, on every response of an existing session, as
   * express-session's `rolling`. Default `false`: the cookie is re-sent when the id changes or
   * when the expiry moves and the cookie's Max-Age follows the idle timeout.
   */
  rolling?: boolean
  /**
   * Send `Clear-Site-Data: "cookies"` with a response that ends a session (logout, destroy,
   * an emptied or revoked session), so the browser drops every cookie of the site. Default
   * `false`.
   */
  clearSiteData?: boolean
  /**
   * Ceilings for per-session lifetimes (`session.setLifetime()`, remember-me). Default: idle
   * 30 days (or `idleTimeout`, if longer), absolute 400 days (browsers' cookie limit).
   */
  maxLifetime?: SessionLifetime
  /**
   * The lifetime of `login(userId, { remember: true })`. Default: idle 30 days, absolute 90
   * days, a persistent cookie.
   */
  rememberMe?: SessionLifetime
  /** Listeners for auditing events; see also `engine.on()`. */
  on?: Partial<{ [E in keyof SessionEvents]: (event: SessionEvents[E]) => void }>
}
