export { FormBodyTooLargeError, SessionMiddlewareMissingError } from './adapter/adapter-errors.js'
export { type CookieAttributes, readCookieValues, serializeCookie } from './cookie/cookie.js'
export type { CryptoProvider, MaybePromise } from './crypto/crypto-provider.js'
export { defaultCryptoProvider } from './crypto/default-crypto-provider.js'
export { createNodeCryptoProvider, type NodeCryptoModule } from './crypto/node-crypto-provider.js'
export { timingSafeEqual } from './crypto/timing-safe-equal.js'
export { createWebCryptoProvider } from './crypto/web-crypto-provider.js'
export type { ExclusiveOptions } from './engine/exclusive-sections.js'
export { createSessionEngine, type SessionEngine } from './engine/session-engine.js'
export type {
  InvalidSessionReason,
  SessionEventListener,
  SessionEventName,
  SessionEvents,
} from './engine/session-events.js'
export type {
  SessionMetrics,
  StoreCallMetric,
  StoreCallOutcome,
} from './engine/session-metrics.js'
export { jsonSerializer, type SessionSerializer } from './engine/session-serializer.js'
export * from './errors.js'
export type { BindingAction, BindingOptions } from './options/binding-options.js'
export { parseDuration } from './options/duration.js'
export type { ResolvedSessionOptions } from './options/resolved-session-options.js'
export type { RotationOptions } from './options/rotation-options.js'
export type { SessionLifetime } from './options/session-lifetime.js'
export type {
  Duration,
  SessionCookieOptions,
  SessionIdSource,
  SessionOptions,
} from './options/session-options.js'
export type {
  CommitOptions,
  CookieOverrides,
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from './request/request-session.js'
export type { ReloadIfGone, ReloadOptions } from './session/reload-options.js'
export type { ActiveSession, Session, SessionData } from './session/session.js'
export {
  SESSION_MEMBERS,
  SESSION_PROPERTIES,
  type SessionMember,
} from './session/session-members.js'
export { CookieStore, type CookieStoreOptions } from './stores/cookie-store.js'
export { MemoryStore } from './stores/memory-store.js'
export type { MemoryStoreOptions } from './stores/memory-store-options.js'
export { MigratingStore, type MigratingStoreOptions } from './stores/migrating-store.js'
export type { KeyedStoredSession, SessionStore, StoredSession } from './stores/session-store.js'
export {
  type CacheOperation,
  CacheTimeoutError,
  TieredStore,
  type TieredStoreOptions,
} from './stores/tiered-store.js'
