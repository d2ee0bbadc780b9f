export { session, type SessionMiddleware } from './session-middleware.js'
export type { ExpressSessionOptions } from './express-session-options.js'
export type {
  ExpressSession,
  RequestSessionObject,
  SessionCallback,
  SessionData,
  SessionRecord,
} from './express-session.js'
export type { SessionCookie } from './session-cookie.js'
export { csrf, type CsrfMiddleware } from './csrf-middleware.js'
export type { CsrfOptions } from './csrf-options.js'
export { flash, type FlashMiddleware, type RequestFlash } from './flash-middleware.js'
export type { FlashOptions } from './flash-options.js'
export { FormBodyTooLargeError, SessionMiddlewareMissingError } from './errors.js'
export {
  CsrfTokenError,
  SessionConfigError,
  SessionStoreError,
  SessionTooLargeError,
  MemoryStore,
  type SessionOptions,
  type SessionStore,
} from '@tessera/core'
