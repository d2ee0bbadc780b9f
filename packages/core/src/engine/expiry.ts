import type { SessionMeta } from './session-payload.js'

/** Why a stored session is dead: unused too long, or older than the absolute timeout. */
export type ExpiryReason = 'idle' | 'absolute'

/** The engine-wide lifetime: the defaults every session has unless it set its own. */
export interface LifetimeDefaults {
  idleTimeoutMs: number
  absoluteTimeoutMs: number | null
  persistent: boolean
}

/**
 * The idle and absolute timeouts, enforced by the engine on every read (not only by store
 * TTLs), the throttle on moving a session's expiry, and the cookie's lifetime. Each session
 * has the engine's lifetime unless it set its own (`setLifetime()`, remember-me), which its
 * metadata carries.
 */
export class ExpiryPolicy {
  constructor(
    private readonly defaults: LifetimeDefaults,
    private readonly touchIntervalMs: number,
    private readonly now: () => number,
  ) {}

  idleOf(meta: SessionMeta): number {
    return meta.l?.i ?? this.defaults.idleTimeoutMs
  }

  absoluteOf(meta: SessionMeta): number | null {
    const own = meta.l?.a
    return own === undefined ? this.defaults.absoluteTimeoutMs : own
  }

  persistentOf(meta: SessionMeta): boolean {
    return meta.l?.p ?? this.defaults.persistent
  }

  /** Why the session is dead now, stored until `expiresAt`; null if it is live. */
  expiredReason(meta: SessionMeta, expiresAt: number): ExpiryReason | null {
    const now = this.now()
    const absolute = this.absoluteOf(meta)
    if (absolute !== null && meta.c + absolute <= now) return 'absolute'
    return expiresAt <= now ? 'idle' : null
  }

  /** When the session would expire if its expiry moved now. */
  expiryFor(meta: SessionMeta): number {
    const idle = this.now() + this.idleOf(meta)
    const absolute = this.absoluteOf(meta)
    return absolute === null ? idle : Math.min(idle, meta.c + absolute)
  }

  /**
   * Whether moving the stored expiry to `next` is due: forced, or `touchInterval` has passed
   * since it last moved. Reads and writes move it on the same throttle.
   */
  moveDue(next: number, stored: number, forced: boolean): boolean {
    return forced || next - stored >= this.touchIntervalMs
  }

  /**
   * The cookie's Max-Age follows the idle timeout (a persistent cookie without an absolute
   * timeout), so every move of the session's expiry must re-issue the cookie.
   */
  cookieFollowsIdle(meta: SessionMeta): boolean {
    return this.persistentOf(meta) && this.absoluteOf(meta) === null
  }

  /** The cookie's Max-Age in ms: up to the absolute timeout, or the idle timeout without one. */
  cookieMaxAge(meta: SessionMeta): number | undefined {
    if (!this.persistentOf(meta)) return undefined
    const absolute = this.absoluteOf(meta)
    return absolute === null ? this.idleOf(meta) : meta.c + absolute - this.now()
  }
}
