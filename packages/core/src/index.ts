export type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'
export * from './errors.js'
export type { Duration, SessionCookieOptions, SessionIdSource, SessionOptions } from './session-options.js'
export type {
  InvalidSessionReason,
  SessionEventListener,
  SessionEventName,
  SessionEvents,
} from './session-events.js'
export { jsonSerializer, type SessionSerializer } from './session-serializer.js'
export type { ActiveSession, Session, SessionData } from './session.js'
export type {
  CommitOptions,
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from './request-session.js'
export { MemoryStore } from './memory-store.js'
export type { MemoryStoreOptions } from './memory-store-options.js'
export { createSessionEngine, type SessionEngine } from './session-engine.js'
export type { ResolvedSessionOptions } from './resolved-session-options.js'
export type { CryptoProvider, MaybePromise } from './crypto-provider.js'
export { createWebCryptoProvider } from './web-crypto-provider.js'
export { createNodeCryptoProvider, type NodeCryptoModule } from './node-crypto-provider.js'
export { defaultCryptoProvider } from './default-crypto-provider.js'
export { parseDuration } from './duration.js'
export { readCookieValues, serializeCookie, type CookieAttributes } from './cookie.js'
export { timingSafeEqual } from './timing-safe-equal.js'
export { CookieStore, type CookieStoreOptions } from './cookie-store.js'
