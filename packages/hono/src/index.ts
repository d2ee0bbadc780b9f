// Everything a user of this adapter needs from core, so installing the adapter is enough.
export * from '@tessera/core'
export type { CsrfOptions, RequireFreshOptions } from '@tessera/core/adapter'
export { getSession } from './context-session-guard.js'
export { csrf } from './csrf.js'
export type { HonoAdapterOptions, HonoSessionOptions } from './hono-session-options.js'
export { exclusive, requireFresh } from './route-guards.js'
export type { SessionEnv, SessionVariables } from './session-env.js'
export { type HonoSessionMiddleware, session } from './session-middleware.js'
