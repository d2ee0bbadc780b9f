import { SessionConfigError } from '../errors.js'
import type { SessionStore } from './session-store.js'

/** Marks a {@link CookieStore} across copies of core (a symbol registered globally). */
export const COOKIE_STORE_BRAND: unique symbol = Symbol.for('tessera.cookie-store') as never

/**
 * Options of {@link CookieStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine, CookieStore } from '@tessera/core'
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   // Newest key first; older keys still open cookies sealed before a rotation.
 *   store: new CookieStore({ keys: [process.env.COOKIE_KEY!, process.env.OLD_COOKIE_KEY!] }),
 * })
 * ```
 */
export interface CookieStoreOptions {
  /**
   * AES-256-GCM keys, each at least 32 characters; the first seals, all open. Default: keys
   * derived from the engine's `encryption.keys`, else from its `secret` list (so rotating the
   * secret rotates the seal too).
   */
  keys?: string | readonly string[]
  /**
   * A server-side revocation list, so a sealed cookie replayed after logout is refused:
   * ending a session records its id (hashed) in `store` until the session would have expired,
   * and every request with a sealed cookie checks it (one store read). Without it, a copied
   * cookie stays valid until it expires.
   *
   * @example
   * ```ts
   * new CookieStore({ keys: [process.env.COOKIE_KEY!], revocation: { store: new RedisStore({ client }) } })
   * ```
   */
  revocation?: { store: SessionStore }
}

/**
 * Keeps the whole session in the cookie, sealed with AES-256-GCM (the cookie name is bound
 * into the seal, so a value copied into another cookie does not open). No server state: for
 * apps without a store and for edge runtimes.
 *
 * What it cannot do, by design: the per-user index (listing and revoking sessions,
 * `maxSessionsPerUser`), strict mode (the cookie is the session), server-side revocation of
 * one session (a copied cookie stays valid until it expires: keep `idleTimeout` short), and
 * lost-update protection (two concurrent requests each send back their own cookie; the last
 * one the browser stores wins). A session whose cookie would exceed 4096 bytes fails with
 * `SessionTooLargeError`.
 */
export class CookieStore {
  readonly [COOKIE_STORE_BRAND] = true
  readonly keys: readonly string[] | undefined
  /** Where ended sessions are recorded, when `revocation` is configured. */
  readonly revocationStore: SessionStore | undefined

  constructor(options: CookieStoreOptions = {}) {
    const keys = options.keys
    this.keys = keys === undefined ? undefined : typeof keys === 'string' ? [keys] : [...keys]
    const store = options.revocation?.store
    if (
      options.revocation !== undefined &&
      (typeof store?.get !== 'function' || typeof store?.set !== 'function')
    ) {
      throw new SessionConfigError(
        'store.revocation.store',
        'expected a SessionStore (MemoryStore, RedisStore, KyselyStore, ...) to record revoked sessions in.',
      )
    }
    this.revocationStore = store
  }
}

export function isCookieStore(value: unknown): value is CookieStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[COOKIE_STORE_BRAND] === true
  )
}
