import type { Session, SessionData } from '@tessera/core'

/**
 * The variables {@link session} sets: `c.get('session')` / `c.var.session`. Combine them with
 * your own in the app's `Variables`:
 *
 * ```ts
 * import { Hono } from 'hono'
 * import type { SessionVariables } from '@tessera/hono'
 *
 * type Data = { views: number }
 * const app = new Hono<{ Variables: SessionVariables<Data> & { requestId: string } }>()
 * ```
 */
export type SessionVariables<Data extends object = SessionData> = {
  session: Session<Data>
}

/**
 * A Hono `Env` with just the session variables: `new Hono<SessionEnv<Data>>()`. To type
 * `c.get('session')` in every app without a generic, augment Hono's `ContextVariableMap`:
 *
 * ```ts
 * import type { Session } from '@tessera/hono'
 *
 * declare module 'hono' {
 *   interface ContextVariableMap { session: Session<{ views: number }> }
 * }
 * ```
 */
export type SessionEnv<Data extends object = SessionData> = {
  Variables: SessionVariables<Data>
}
