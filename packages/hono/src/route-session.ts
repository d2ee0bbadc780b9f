import type { Session } from '@tessera/core'
import { withResponse } from './error-response.js'

/**
 * The session routes see: the core session, with errors of its async methods (store
 * failures in `regenerate()`, `login()`, `destroy()`…) made answerable by Hono's default
 * error handler (see {@link withResponse}).
 */
export function routeSession<Data extends object>(session: Session<Data>): Session<Data> {
  const target = session as unknown as Record<PropertyKey, unknown>
  const wrapped = new Map<PropertyKey, unknown>()
  return new Proxy(target, {
    get(_, property) {
      const value = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      let method = wrapped.get(property)
      if (method === undefined) {
        const fn = value as (...args: unknown[]) => unknown
        method = (...args: unknown[]) => {
          let result: unknown
          try {
            result = fn.apply(target, args)
          } catch (error) {
            throw withResponse(error)
          }
          return result instanceof Promise
            ? result.catch((error: unknown) => Promise.reject(withResponse(error)))
            : result
        }
        wrapped.set(property, method)
      }
      return method
    },
  }) as unknown as Session<Data>
}
