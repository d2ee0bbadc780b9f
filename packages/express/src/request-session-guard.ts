import express from 'express'
import type { RequestSessionObject } from './express-session.js'
import { missingSession } from './request-body.js'

/** Where `req.session` is kept; the `session` property itself is an accessor on the prototype. */
const SESSION = Symbol.for('tessera.express.req-session')

interface GuardedRequest {
  [SESSION]?: RequestSessionObject | null
}

const guarded = new WeakSet<object>()

/**
 * Makes `req.session` an accessor on `prototype` (Express's `request` object, which every
 * app's requests inherit from): it reads what `session()` stored, and throws a
 * `SessionMiddlewareMissingError` naming the fix where `session()` did not run, instead of
 * the raw `TypeError: Cannot read properties of undefined` a route would otherwise hit.
 */
export function guardRequestSession(prototype: object): void {
  if (guarded.has(prototype)) return
  guarded.add(prototype)
  Object.defineProperty(prototype, 'session', {
    configurable: true,
    enumerable: true,
    get(this: GuardedRequest) {
      const value = this[SESSION]
      if (value === undefined) throw missingSession('req.session')
      return value
    },
    set(this: GuardedRequest, value: RequestSessionObject | null) {
      this[SESSION] = value
    },
  })
}

/** Guards the `express` this package resolves (the app's own, as a peer dependency). */
export function guardInstalledExpress(): void {
  const prototype = (express as unknown as { request?: object }).request
  if (prototype) guardRequestSession(prototype)
}

/** `req.session` if a `session()` middleware set it (never throws). */
export function currentSession(req: object): RequestSessionObject | null | undefined {
  const value = (req as GuardedRequest)[SESSION]
  if (value !== undefined) return value
  // A request whose prototype is not guarded (another copy of Express): a plain property.
  return Object.hasOwn(req, 'session')
    ? (req as { session?: RequestSessionObject }).session
    : undefined
}
