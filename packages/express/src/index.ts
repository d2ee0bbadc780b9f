export {
  CsrfTokenError,
  FormBodyTooLargeError,
  MemoryStore,
  SessionConfigError,
  SessionMiddlewareMissingError,
  type SessionOptions,
  type SessionStore,
  SessionStoreError,
  SessionTooLargeError,
} from '@tessera/core'
export type { CsrfOptions } from '@tessera/core/adapter'
export { type CsrfMiddleware, csrf } from './csrf-middleware.js'
export type {
  ExpressSession,
  RequestSessionObject,
  SessionCallback,
  SessionData,
  SessionRecord,
} from './express-session.js'
export type { ExpressSessionOptions } from './express-session-options.js'
export { type FlashMiddleware, flash, type RequestFlash } from './flash-middleware.js'
export type { FlashOptions } from './flash-options.js'
export type { SessionCookie } from './session-cookie.js'
export {
  type ExpressAdapterOptions,
  type ExpressSessionMiddleware,
  session,
} from './session-middleware.js'
