import type { MaybePromise } from '../crypto/crypto-provider.js'
import type { SessionState } from '../request/session-state.js'
import type { ReloadIfGone } from '../session/reload-options.js'

/**
 * Where sessions live, behind one interface: a server store reached through a signed id
 * ({@link ServerBackend}), or the whole session sealed in the cookie
 * ({@link SealedCookieBackend}). The request's state machine is the same for both; each
 * backend reads top to bottom without the other's branches.
 */
export interface SessionBackend {
  /** Whether an incoming cookie or header value is worth reading (a cheap shape check). */
  accepts(value: string): boolean
  /** Reads the session the first good `candidate` leads to into `state`; none leaves it empty. */
  load(state: SessionState, candidates: readonly string[]): Promise<void>
  /**
   * {@link SessionBackend.load} done synchronously, where the backend can (a sealed cookie
   * under a synchronous crypto provider). The engine then reads the id on the route's first
   * use of the session instead of before the route: a route that never uses it pays nothing.
   * Null where the read needs to wait (a store, Web Crypto, a revocation list).
   */
  readonly loadOnUse: ((state: SessionState, candidates: readonly string[]) => void) | null
  /**
   * Re-reads the current session (`reload()`), dropping unsaved changes. When it is gone: an
   * empty session, or with `ifGone: 'throw'` a `SessionGoneError` and `state` untouched.
   */
  reload(state: SessionState, candidates: readonly string[], ifGone: ReloadIfGone): Promise<void>
  /**
   * Deletes what is stored under `key`, a session that would have expired at `expiresAt`
   * (a sealed cookie has no record: it is put on the revocation list, if there is one).
   */
  destroy(key: string, expiresAt: number): Promise<void>
  /**
   * Writes what changed; sets `state.deliverId` when the response must carry the id. Null
   * when nothing had to be written: the common read-only request then awaits nothing.
   */
  persist(state: SessionState): Promise<void> | null
  /** What the response's cookie or id header carries once `state.deliverId` is set. */
  idValue(state: SessionState): MaybePromise<string>
  /**
   * When set, the Set-Cookie header may be at most this long: browsers keep about 4096 bytes
   * per cookie, which bounds a sealed session.
   */
  readonly cookieLimit: number | null
}
