import {
  type RequestSession,
  SESSION_MEMBERS,
  SESSION_PROPERTIES,
  type Session,
} from '@tessera/core'
import { withResponse } from './error-response.js'

/**
 * What the route sees: the core session, with errors of its methods (store failures in
 * `regenerate()`, `login()`, `destroy()`, CSRF...) made answerable by Hono's default error
 * handler (see {@link withResponse}).
 *
 * One small object per request: the wrappers live on a prototype built once from core's
 * member list (a per-request `Proxy` showed in profiles).
 */
export function routeSession<Data extends object>(rs: RequestSession<Data>): Session<Data> {
  return new RouteSession(rs as unknown as RequestSession<object>) as unknown as Session<Data>
}

class RouteSession {
  constructor(private readonly rs: RequestSession<object>) {}
  /** The core session, made on the route's first use of it. */
  get target(): object {
    return this.rs.session
  }
}

const probe = RouteSession.prototype as unknown as Record<string, unknown>
const properties = new Set<string>(SESSION_PROPERTIES)
for (const member of SESSION_MEMBERS) {
  if (!properties.has(member)) {
    probe[member] = function (this: RouteSession, ...args: unknown[]): unknown {
      const target = this.target as unknown as Record<string, (...a: unknown[]) => unknown>
      let result: unknown
      try {
        result = target[member]?.(...args)
      } catch (error) {
        throw withResponse(error)
      }
      return result instanceof Promise
        ? result.catch((error: unknown) => Promise.reject(withResponse(error)))
        : result
    }
  } else {
    Object.defineProperty(probe, member, {
      get(this: RouteSession) {
        return (this.target as unknown as Record<string, unknown>)[member]
      },
    })
  }
}
