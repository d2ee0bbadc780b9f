export { type CookieAttributes, readCookieValues, serializeCookie } from './cookie.js'
export { CookieStore, type CookieStoreOptions } from './cookie-store.js'
export type { CryptoProvider, MaybePromise } from './crypto-provider.js'
export { defaultCryptoProvider } from './default-crypto-provider.js'
export { parseDuration } from './duration.js'
export * from './errors.js'
export { MemoryStore } from './memory-store.js'
export type { MemoryStoreOptions } from './memory-store-options.js'
export { createNodeCryptoProvider, type NodeCryptoModule } from './node-crypto-provider.js'
export type {
  CommitOptions,
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from './request-session.js'
export type { ResolvedSessionOptions } from './resolved-session-options.js'
export type { ActiveSession, Session, SessionData } from './session.js'
export { createSessionEngine, type SessionEngine } from './session-engine.js'
export type {
  InvalidSessionReason,
  SessionEventListener,
  SessionEventName,
  SessionEvents,
} from './session-events.js'
export { SESSION_MEMBERS, type SessionMember } from './session-members.js'
export type {
  Duration,
  SessionCookieOptions,
  SessionIdSource,
  SessionOptions,
} from './session-options.js'
export { jsonSerializer, type SessionSerializer } from './session-serializer.js'
export type { KeyedStoredSession, SessionStore, StoredSession } from './session-store.js'
export { timingSafeEqual } from './timing-safe-equal.js'
export { createWebCryptoProvider } from './web-crypto-provider.js'
