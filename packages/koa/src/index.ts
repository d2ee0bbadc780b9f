export {
  CsrfTokenError,
  type Session,
  type SessionData,
  type SessionOptions,
  SessionStoreError,
} from '@tessera/core'
export { csrf } from './csrf.js'
export type { CsrfOptions } from './csrf-options.js'
export type { KoaSession } from './koa-session.js'
export type { SessionContext } from './session-context.js'
export { type KoaSessionMiddleware, session } from './session-middleware.js'
