export { session, type KoaSessionMiddleware } from './session-middleware.js'
export { csrf } from './csrf.js'
export type { CsrfOptions } from './csrf-options.js'
export type { KoaSession } from './koa-session.js'
export type { SessionContext } from './session-context.js'
export {
  CsrfTokenError,
  SessionStoreError,
  type Session,
  type SessionData,
  type SessionOptions,
} from '@tessera/core'
