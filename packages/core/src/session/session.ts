import type { ExclusiveOptions } from '../engine/exclusive-sections.js'
import type { SessionLifetime } from '../options/session-lifetime.js'
import type { Duration } from '../options/session-options.js'
import type { ReloadOptions } from './reload-options.js'

/** Session data: a plain object of JSON-serializable top-level keys (by default). */
export type SessionData = Record<string, unknown>

/** Options of {@link Session.login}. */
export interface LoginOptions {
  /** Give the session the engine's `rememberMe` lifetime ("keep me signed in"). */
  remember?: boolean
  /** Give the session this lifetime (see {@link Session.setLifetime}). */
  lifetime?: SessionLifetime
}

/** One of a user's sessions, as "your active sessions" pages list them. */
export interface ActiveSession {
  /** Opaque handle (the store key, a hash of the id): pass it to `revokeSession`. */
  handle: string
  createdAt: number
  /** When the session was last used, to within `touchInterval`. */
  lastSeenAt: number
  expiresAt: number
  userAgent: string | null
  /** With `trackIp`: the client IP the session was created from. */
  ip: string | null
  /** With `trackIp`: the client IP it was last seen from. */
  lastIp: string | null
  /** True for the session of the request that asked. */
  current: boolean
}

/**
 * The session of one request, the same under every framework adapter.
 *
 * Data methods are synchronous; the adapter has loaded the record before the route runs.
 * Changes are saved when the response is committed: nested mutation included, because each
 * top-level key's serialized form is compared.
 */
export interface Session<Data extends object = SessionData> {
  /** The session id (the cookie's unsigned part). A new session gets one on first use. */
  readonly id: string
  /** True until the session has been stored. */
  readonly isNew: boolean
  /** The signed-in user, set by {@link Session.login}. */
  readonly userId: string | null
  readonly createdAt: number
  get<K extends keyof Data & string>(key: K): Data[K] | undefined
  set<K extends keyof Data & string>(key: K, value: Data[K]): void
  delete<K extends keyof Data & string>(key: K): void
  has<K extends keyof Data & string>(key: K): boolean
  /**
   * Sets `key` to `fn(current)`. On a conflicting concurrent commit `fn` is replayed on the
   * fresh value, so concurrent updates all survive. Keep `fn` free of side effects.
   */
  update<K extends keyof Data & string>(
    key: K,
    fn: (current: Data[K] | undefined) => Data[K],
  ): Data[K]
  /** The keys the session holds. */
  keys(): Array<keyof Data & string>
  /** A shallow copy of the data. */
  all(): Partial<Data>
  /** Removes every key. An emptied session's record and cookie are deleted at commit. */
  clear(): void
  /**
   * A new, empty session under a new id; the old record is deleted (express-session's
   * regenerate, on every adapter and in every form). `keepData: true` moves the data to the
   * new id instead. Call on every privilege change; `login()` does it for you, keeping the data.
   */
  regenerate(options?: { keepData?: boolean }): Promise<void>
  /** Deletes the record and clears the cookie. Later writes start a new session. */
  destroy(): Promise<void>
  /**
   * New id with the data kept (`regenerate({ keepData: true })`), the session indexed under
   * `userId`; enforces `maxSessionsPerUser`; records `authenticatedAt`. `remember: true` gives
   * the session the engine's `rememberMe` lifetime; `lifetime` any other (see `setLifetime`).
   */
  login(userId: string, options?: LoginOptions): Promise<void>
  /** When this session last proved who its user is (`login()`, `reauthenticated()`); null if never. */
  readonly authenticatedAt: number | null
  /** True when the user authenticated within `maxAge` (guard payments, password changes). */
  isFresh(maxAge: Duration): boolean
  /** Records that the user just proved who they are again (after a password prompt). */
  reauthenticated(): void
  /**
   * Gives this session its own lifetime, within the engine's `maxLifetime` (an out-of-range
   * value throws `SessionConfigError`); `null` returns it to the engine's. Stored with the
   * session, enforced on every read like the defaults; the cookie is re-issued to match.
   */
  setLifetime(lifetime: SessionLifetime | null): void
  /** This session's lifetime: its own where it set one, else the engine's. */
  readonly lifetime: {
    idleTimeoutMs: number
    absoluteTimeoutMs: number | null
    persistent: boolean
  }
  /** Ends the signed-in session: data cleared, user unset, old record deleted. */
  logout(): Promise<void>
  /**
   * Re-reads the stored record, dropping this request's unsaved changes. A session no longer
   * stored becomes empty, or with `{ ifGone: 'throw' }` throws `SessionGoneError` unchanged.
   */
  reload(options?: ReloadOptions): Promise<void>
  /** Writes pending changes now instead of at the end of the request. */
  save(): Promise<void>
  /**
   * Runs `section` while no other request of this session is inside one: for work a
   * conflict replay must not repeat (a charge, a mail). Saves this request's changes, takes the
   * session's lease in the store (waiting up to `wait`, then `SessionLockedError`, 423),
   * re-reads the session, runs `section`, saves, releases. Needs a store with leases.
   */
  exclusive<T>(section: () => T | Promise<T>, options?: ExclusiveOptions): Promise<T>
  /** Moves the expiry at commit even if `touchInterval` has not passed. */
  touch(): void
  /** Adds a flash message under `key`. */
  flash(key: string, message: unknown): void
  /** Returns and removes the flash messages under `key` (an empty array if none). */
  takeFlash(key: string): unknown[]
  /** Returns and removes every flash message, by key. */
  takeAllFlash(): Record<string, unknown[]>
  /** The session's synchronizer CSRF token, created on first call. */
  csrfToken(): string
  /** Constant-time comparison of `token` with the session's CSRF token. */
  verifyCsrfToken(token: string | null | undefined): boolean
  /** The signed-in user's sessions. Needs a store with `listByUser`. */
  listSessions(): Promise<ActiveSession[]>
  /** Revokes one of the signed-in user's sessions by handle. */
  revokeSession(handle: string): Promise<boolean>
  /** Revokes every other session of the signed-in user (after a password change). */
  revokeOtherSessions(): Promise<number>
  /** Revokes every session of the signed-in user, this one included. */
  revokeAllSessions(): Promise<number>
}
