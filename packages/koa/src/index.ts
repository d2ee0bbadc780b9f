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
export { csrf } from './csrf.js'
export type { KoaSession } from './koa-session.js'
export { exclusive, requireFresh } from './route-guards.js'
export type { SessionContext } from './session-context.js'
export { type KoaSessionMiddleware, session } from './session-middleware.js'
