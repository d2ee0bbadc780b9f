import { defineSessionAccessor, SessionMiddlewareMissingError } from '@tessera/core/adapter'
import Koa from 'koa'

/** Where the middleware keeps a request's session state on `ctx`. */
export const SESSION_STATE: unique symbol = Symbol.for('tessera.koa.session')

/** What `ctx.session` reads and writes through: the request's session state. */
export interface ContextSessionState {
  readonly proxy: unknown
  replace(value: unknown): void
}

type GuardedContext = { [SESSION_STATE]?: ContextSessionState }

const guarded = new WeakSet<object>()

function missing(feature: string): SessionMiddlewareMissingError {
  return new SessionMiddlewareMissingError(
    feature,
    'mount app.use(session({ ... })) from @tessera/koa before the middleware that uses it.',
  )
}

/**
 * Makes `ctx.session` an accessor on `prototype` (a Koa context prototype): it reaches the
 * state `session()` put on the context, and throws a `SessionMiddlewareMissingError` naming the
 * fix where `session()` did not run, instead of a raw `TypeError` on `undefined`. One accessor
 * on the prototype also spares every request an `Object.defineProperty` on its context.
 */
export function guardContextSession(prototype: object): void {
  if (guarded.has(prototype)) return
  guarded.add(prototype)
  defineSessionAccessor<GuardedContext>(prototype, {
    get() {
      const state = this[SESSION_STATE]
      if (!state) throw missing('ctx.session')
      return state.proxy
    },
    set(value) {
      const state = this[SESSION_STATE]
      if (!state) throw missing('ctx.session')
      state.replace(value)
    },
  })
}

/** Guards the contexts of the `koa` this package resolves (the app's own, a peer dependency). */
export function guardInstalledKoa(): void {
  guardContextSession(Object.getPrototypeOf(new Koa().context) as object)
}
