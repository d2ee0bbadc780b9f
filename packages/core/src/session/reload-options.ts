/** What `reload()` does when the stored session is gone. */
export type ReloadIfGone = 'empty' | 'throw'

/**
 * Options of `session.reload()`.
 *
 * @example
 * ```ts
 * try {
 *   await session.reload({ ifGone: 'throw' })
 * } catch (error) {
 *   if (error instanceof SessionGoneError) return redirect('/login') // revoked elsewhere
 *   throw error
 * }
 * ```
 */
export interface ReloadOptions {
  /**
   * `'empty'` (default): a session that is no longer stored becomes a new, empty one.
   * `'throw'`: a `SessionGoneError`, and the request's session is left as it was (as
   * express-session's `reload(cb)` reports "failed to load session").
   */
  ifGone?: ReloadIfGone
}
