export {
  CsrfTokenError,
  type Session,
  type SessionData,
  type SessionOptions,
  SessionStoreError,
} from '@tessera/core'
export { csrf } from './csrf.js'
export type { CsrfOptions } from './csrf-options.js'
export type { SessionEnv, SessionVariables } from './session-env.js'
export { type HonoSessionMiddleware, session } from './session-middleware.js'
