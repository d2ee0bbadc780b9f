// Everything a user of this adapter needs from core, so installing the adapter is enough.
export * from '@tessera/core'
export type { CsrfOptions, RequireFreshOptions } from '@tessera/core/adapter'
export { csrf } from './csrf.js'
export type { KoaSession } from './koa-session.js'
export { exclusive, requireFresh } from './route-guards.js'
export type { SessionContext } from './session-context.js'
export { type KoaSessionMiddleware, session } from './session-middleware.js'
