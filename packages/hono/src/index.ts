export { session, type HonoSessionMiddleware } from './session-middleware.js'
export { csrf } from './csrf.js'
export type { CsrfOptions } from './csrf-options.js'
export type { SessionEnv, SessionVariables } from './session-env.js'
export {
  CsrfTokenError,
  SessionStoreError,
  type Session,
  type SessionData,
  type SessionOptions,
} from '@tessera/core'
