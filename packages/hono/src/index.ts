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
export { getSession } from './context-session-guard.js'
export { csrf } from './csrf.js'
export type { HonoAdapterOptions, HonoSessionOptions } from './hono-session-options.js'
export type { SessionEnv, SessionVariables } from './session-env.js'
export { type HonoSessionMiddleware, session } from './session-middleware.js'
