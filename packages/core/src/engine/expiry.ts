/** Why a stored session is dead: unused too long, or older than the absolute timeout. */
export type ExpiryReason = 'idle' | 'absolute'

/**
 * The idle and absolute timeouts, enforced by the engine on every read (not only by store
 * TTLs), and the throttle on moving a session's expiry.
 */
export class ExpiryPolicy {
  constructor(
    private readonly idleTimeoutMs: number,
    private readonly absoluteTimeoutMs: number | null,
    private readonly touchIntervalMs: number,
    private readonly now: () => number,
  ) {}

  /** Why a session created at `createdAt`, stored until `expiresAt`, is dead now; null if live. */
  expiredReason(createdAt: number, expiresAt: number): ExpiryReason | null {
    const now = this.now()
    const absolute = this.absoluteTimeoutMs
    if (absolute !== null && createdAt + absolute <= now) return 'absolute'
    return expiresAt <= now ? 'idle' : null
  }

  /** When a session created at `createdAt` would expire if its expiry moved now. */
  expiryFor(createdAt: number): number {
    const idle = this.now() + this.idleTimeoutMs
    const absolute = this.absoluteTimeoutMs
    return absolute === null ? idle : Math.min(idle, createdAt + absolute)
  }

  /**
   * Whether moving the stored expiry to `next` is due: forced, or `touchInterval` has passed
   * since it last moved. Reads and writes move it on the same throttle.
   */
  moveDue(next: number, stored: number, forced: boolean): boolean {
    return forced || next - stored >= this.touchIntervalMs
  }
}
