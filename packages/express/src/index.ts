// Everything a user of this adapter needs from core, so installing the adapter is enough.
// (Express's own `SessionData`, below, takes the place of core's.)
export * from '@tessera/core'
export type { CsrfOptions, RequireFreshOptions } from '@tessera/core/adapter'
export { type CsrfMiddleware, csrf } from './csrf-middleware.js'
export type {
  ExpressCookieAttributes,
  ExpressCookieOptions,
} from './express-cookie-options.js'
export type {
  ExpressSession,
  RequestSessionObject,
  ReservedSessionName,
  SessionCallback,
  SessionData,
  SessionDataDeclaresReservedNames,
  SessionRecord,
} from './express-session.js'
export type { ExpressSessionOptions } from './express-session-options.js'
export { type FlashMiddleware, flash, type RequestFlash } from './flash-middleware.js'
export type { FlashOptions } from './flash-options.js'
export {
  type ImportExpressSessionsMiddleware,
  importExpressSessions,
} from './import-express-sessions.js'
export { LegacySessionStoreError } from './import-express-sessions-error.js'
export type {
  ExpressSessionStore,
  ImportExpressSessionsEvent,
  ImportExpressSessionsOptions,
  LegacyCookieOptions,
  LegacyIgnoredReason,
  LegacySession,
} from './import-express-sessions-options.js'
export { exclusive, requireFresh } from './route-guards.js'
export type { SessionCookie } from './session-cookie.js'
export {
  type ExpressAdapterOptions,
  type ExpressSessionMiddleware,
  session,
} from './session-middleware.js'
