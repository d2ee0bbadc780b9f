// Everything a user of this adapter needs from core, so installing the adapter is enough.
export {
  type ActiveSession,
  CookieStore,
  type CookieStoreOptions,
  CsrfTokenError,
  createSessionEngine,
  type ExclusiveOptions,
  FormBodyTooLargeError,
  type KeyedStoredSession,
  MemoryStore,
  type MemoryStoreOptions,
  ReauthenticationRequiredError,
  type Session,
  SessionConfigError,
  SessionConflictError,
  type SessionData,
  SessionDataError,
  type SessionEngine,
  SessionFeatureUnsupportedError,
  SessionGoneError,
  type SessionLifetime,
  SessionLockedError,
  SessionMiddlewareMissingError,
  type SessionOptions,
  type SessionStore,
  SessionStoreConfigError,
  SessionStoreError,
  SessionTooLargeError,
  type StoredSession,
  TesseraError,
} from '@tessera/core'
export type { CsrfOptions, RequireFreshOptions } from '@tessera/core/adapter'
export { getSession } from './context-session-guard.js'
export { csrf } from './csrf.js'
export type { HonoAdapterOptions, HonoSessionOptions } from './hono-session-options.js'
export { exclusive, requireFresh } from './route-guards.js'
export type { SessionEnv, SessionVariables } from './session-env.js'
export { type HonoSessionMiddleware, session } from './session-middleware.js'
