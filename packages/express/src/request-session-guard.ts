import { defineSessionAccessor } from '@tessera/core/adapter'
import express from 'express'
import type { ExpressSession } from './express-session.js'
import { missingSession } from './request-body.js'
import { REQUEST_SLOT } from './request-slot.js'
import { SessionHandle, sessionHandleOf } from './session-proxy.js'

/**
 * Where `req.session` is kept; the `session` property itself is an accessor on the prototype.
 * It holds the request's {@link SessionHandle} (which builds the object on first read, so a
 * request that never reads it never builds one), and is written once per request (see
 * request-slot.ts). Only where no `session()` ran does an assignment store the value itself.
 */
const SESSION: typeof REQUEST_SLOT = REQUEST_SLOT

/** Set on a request outside the cookie's path: `req.session` is then `undefined`, as in express-session. */
const OFF_PATH = Symbol.for('tessera.express.off-cookie-path')

interface GuardedRequest {
  [SESSION]?: ExpressSession | SessionHandle | null
  [OFF_PATH]?: true
}

const guarded = new WeakSet<object>()

/** The object `req.session` shows, built on first use. */
function resolve(req: GuardedRequest): ExpressSession | null | undefined {
  const value = req[SESSION]
  return value instanceof SessionHandle ? value.visible : value
}

/**
 * Makes `req.session` an accessor on `prototype` (Express's `request` object, which every
 * app's requests inherit from): it reads what `session()` stored, and throws a
 * `SessionMiddlewareMissingError` naming the fix where `session()` did not run, instead of
 * the raw `TypeError: Cannot read properties of undefined` a route would otherwise hit.
 */
export function guardRequestSession(prototype: object): void {
  if (guarded.has(prototype)) return
  guarded.add(prototype)
  // Requests look their slot up here before they have one: the lookup ends one step up
  // instead of walking the whole prototype chain (no lookup on an Express request is cached).
  Object.defineProperty(prototype, SESSION, {
    configurable: true,
    writable: true,
    value: undefined,
  })
  defineSessionAccessor<GuardedRequest>(prototype, {
    get() {
      const value = resolve(this)
      if (value === undefined && this[OFF_PATH] !== true) throw missingSession('req.session')
      return value
    },
    set(value) {
      const handle = this[SESSION]
      if (handle instanceof SessionHandle) handle.assign(value as ExpressSession | null)
      else this[SESSION] = value as ExpressSession | null
    },
  })
  // express-session's `req.sessionID`, read through the session (it changes on regenerate).
  // On the prototype, so a request costs no property definition of its own.
  Object.defineProperty(prototype, 'sessionID', {
    configurable: true,
    enumerable: true,
    get(this: GuardedRequest) {
      return handleOf(this)?.session.id
    },
    set(this: object, value: unknown) {
      // Code that assigns it (tests, other middleware) gets a plain property, as before.
      Object.defineProperty(this, 'sessionID', {
        value,
        writable: true,
        configurable: true,
        enumerable: true,
      })
    },
  })
}

/** Guards the `express` this package resolves (the app's own, as a peer dependency). */
export function guardInstalledExpress(): void {
  const prototype = (express as unknown as { request?: object }).request
  if (prototype) guardRequestSession(prototype)
}

/** Gives `req` its session (the object behind `req.session` is built when first read). */
export function attachSession(req: object, handle: SessionHandle): void {
  if (guarded.has(Object.getPrototypeOf(req))) (req as GuardedRequest)[SESSION] = handle
  // A request whose prototype is not guarded (another copy of Express): a plain property.
  else (req as { session?: ExpressSession }).session = handle.current
}

/** `req.session` if a `session()` middleware set it (never throws). */
export function currentSession(req: object): ExpressSession | null | undefined {
  const value = resolve(req as GuardedRequest)
  if (value !== undefined) return value
  return Object.hasOwn(req, 'session') ? (req as { session?: ExpressSession }).session : undefined
}

/**
 * Whether a `session()` may already have run for `req` (a cheap first check for a second
 * mount: on a guarded request, a session is always in its slot).
 */
export function hasSlot(req: object): boolean {
  if ((req as GuardedRequest)[SESSION] !== undefined) return true
  return !guarded.has(Object.getPrototypeOf(req)) && Object.hasOwn(req, 'session')
}

/** The handle behind the request's session, without building `req.session`. */
export function handleOf(req: object): SessionHandle | undefined {
  const value = (req as GuardedRequest)[SESSION]
  if (value instanceof SessionHandle) {
    // After `req.session = x`, the handle is x's (none for `null` or an object of the app's).
    return value.assigned ? sessionHandleOf(value.visible) : value
  }
  return sessionHandleOf(value ?? currentSession(req))
}

/** Marks a request the session does not cover (outside `cookie.path`): `req.session` is undefined. */
export function markOffCookiePath(req: object): void {
  ;(req as GuardedRequest)[OFF_PATH] = true
}

/** Whether the route set `req.session = null` (which ends the session). */
export function sessionCleared(req: object): boolean {
  const value = (req as GuardedRequest)[SESSION]
  if (value instanceof SessionHandle) return value.assigned && value.visible === null
  if (value !== undefined) return value === null
  return Object.hasOwn(req, 'session') && (req as { session?: unknown }).session === null
}
