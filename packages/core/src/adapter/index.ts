/**
 * `@tessera/core/adapter`: what every framework adapter needs, written once. Edge-safe (no
 * `node:` imports): the Hono adapter uses it on Workers and Deno too.
 *
 * @packageDocumentation
 */

export { cookieWith } from '../cookie/cookie-overrides.js'
export { isPromise } from '../crypto/maybe-promise.js'
export { FormBodyTooLargeError, SessionMiddlewareMissingError } from './adapter-errors.js'
export { splitAdapterOptions } from './adapter-options.js'
export { type NodeBodyStream, readNodeBody, readWebBody } from './body-reader.js'
export { callSite, describeMount } from './call-site.js'
export { commitForResponse } from './commit-response.js'
export { type CsrfOptions, type CsrfPolicy, resolveCsrfPolicy } from './csrf-policy.js'
export { engineFrom, isSessionEngine } from './engine-from.js'
export { errorStatus } from './error-status.js'
export { parseTokenBody, type TokenBodyKind, tokenBodyKind, tokenField } from './form-token.js'
export { type FreshGuard, freshGuard, type RequireFreshOptions } from './fresh-guard.js'
export { type ConnectionInfo, canDeliverId, isLoopbackHost } from './id-delivery.js'
export { createPropertySession, type PropertySession } from './property-session.js'
export { readyGate } from './ready-gate.js'
export { ReplaceableSession } from './replaceable-session.js'
export { defineSessionAccessor } from './session-accessor.js'
export {
  firstForwarded,
  type MountedSession,
  SessionMount,
  type SessionMountHints,
} from './session-mount.js'
export { mergeVary } from './vary.js'
export { createWarnOnce, type WarnOnce } from './warn-once.js'
export { withSessionHeaders } from './web-response.js'
