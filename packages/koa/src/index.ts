export {
  CsrfTokenError,
  FormBodyTooLargeError,
  type Session,
  type SessionData,
  SessionMiddlewareMissingError,
  type SessionOptions,
  SessionStoreError,
} from '@tessera/core'
export type { CsrfOptions } from '@tessera/core/adapter'
export { csrf } from './csrf.js'
export type { KoaSession } from './koa-session.js'
export type { SessionContext } from './session-context.js'
export { type KoaSessionMiddleware, session } from './session-middleware.js'
