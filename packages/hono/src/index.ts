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
export type { SessionEnv, SessionVariables } from './session-env.js'
export { type HonoSessionMiddleware, session } from './session-middleware.js'
