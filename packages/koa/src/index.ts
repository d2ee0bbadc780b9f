// Everything a user of this adapter needs from core, so installing the adapter is enough.
export {
  type ActiveSession,
  CookieStore,
  type CookieStoreOptions,
  CsrfTokenError,
  createSessionEngine,
  FormBodyTooLargeError,
  type KeyedStoredSession,
  MemoryStore,
  type MemoryStoreOptions,
  type Session,
  SessionConfigError,
  SessionConflictError,
  type SessionData,
  SessionDataError,
  type SessionEngine,
  SessionFeatureUnsupportedError,
  type SessionLifetime,
  SessionMiddlewareMissingError,
  type SessionOptions,
  type SessionStore,
  SessionStoreConfigError,
  SessionStoreError,
  SessionTooLargeError,
  type StoredSession,
  TesseraError,
} from '@tessera/core'
export type { CsrfOptions } from '@tessera/core/adapter'
export { csrf } from './csrf.js'
export type { KoaSession } from './koa-session.js'
export type { SessionContext } from './session-context.js'
export { type KoaSessionMiddleware, session } from './session-middleware.js'
