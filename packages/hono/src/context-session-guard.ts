import type { Session, SessionData } from '@tessera/core'
import { SessionMiddlewareMissingError } from '@tessera/core/adapter'
import { type Context, Context as HonoContext } from 'hono'

function missing(feature: string): SessionMiddlewareMissingError {
  return new SessionMiddlewareMissingError(
    feature,
    "mount app.use(session({ ... })) from @tessera/hono before the handlers that use it (with a path, e.g. app.use('/admin/*', session(...)), only those routes have it).",
  )
}

let guarded = false

/**
 * Makes `c.var.session` throw a `SessionMiddlewareMissingError` naming the fix where
 * `session()` did not run, instead of handing out `undefined` (and a raw `TypeError` on the
 * next property read). Hono's `c.get` is a per-instance function and cannot be reached; use
 * {@link getSession} or `c.var.session` to get the clear error.
 */
export function guardContextVar(): void {
  if (guarded) return
  guarded = true
  const prototype = HonoContext.prototype as object
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'var')
  const original = descriptor?.get
  if (!descriptor || !original) return
  Object.defineProperty(prototype, 'var', {
    ...descriptor,
    get(this: Context) {
      const vars = original.call(this) as Record<string, unknown>
      if (!Object.hasOwn(vars, 'session')) {
        Object.defineProperty(vars, 'session', {
          configurable: true,
          enumerable: false,
          get: () => {
            throw missing('c.var.session')
          },
        })
      }
      return vars
    },
  })
}

/**
 * This request's session, or a `SessionMiddlewareMissingError` (500, naming the fix) when
 * `session()` did not run for it: the checked form of `c.get('session')`.
 *
 * @example
 * ```ts
 * app.get('/', (c) => c.text(`${getSession(c).get('views') ?? 0} views`))
 * ```
 */
export function getSession<Data extends object = SessionData>(c: Context): Session<Data> {
  const value = (c.get as (key: string) => unknown)('session')
  if (value === undefined) throw missing("c.get('session')")
  return value as Session<Data>
}
