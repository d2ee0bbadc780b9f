import type { SessionData } from '@tessera/core'
import type { KoaSession } from './koa-session.js'

/**
 * What {@link session} adds to Koa's context. Chain `app.use(session<Data>(…))` to type the
 * middleware that follows, or type every context of the app by module augmentation:
 *
 * ```ts
 * import type { SessionContext } from '@tessera/koa'
 *
 * interface AppSession { views: number; cart: string[] }
 *
 * declare module 'koa' {
 *   interface DefaultContext extends SessionContext<AppSession> {}
 * }
 * ```
 */
export interface SessionContext<Data extends object = SessionData> {
  /** This request's session, loaded before your middleware runs. */
  get session(): KoaSession<Data>
  /**
   * `null` destroys the session (record deleted, cookie cleared); an object replaces it with
   * a new session holding that data. Either way `ctx.session` is then the new, empty-id
   * session, so later writes start a fresh one.
   */
  set session(value: KoaSession<Data> | Partial<Data> | null)
}
