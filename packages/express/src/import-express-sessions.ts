import type { IncomingMessage, ServerResponse } from 'node:http'
import { readCookieValues, type Session } from '@tessera/core'
import { resolveImportConfig } from './import-express-sessions-config.js'
import { clearingCookie, verifyLegacyCookie } from './import-express-sessions-cookie.js'
import { keepCookie, watchDelivery } from './import-express-sessions-delivery.js'
import type { LegacySessionStoreError } from './import-express-sessions-error.js'
import { legacyLifetime, parseLegacyRecord } from './import-express-sessions-lifetime.js'
import type {
  ImportExpressSessionsEvent,
  ImportExpressSessionsOptions,
} from './import-express-sessions-options.js'
import {
  destroyRecord,
  getRecord,
  type LegacyRecord,
  SharedReads,
} from './import-express-sessions-store.js'
import { missingSession } from './request-body.js'
import { guardInstalledExpress, handleOf, sessionCleared } from './request-session-guard.js'
import { appendSetCookie } from './response-headers.js'
import type { SessionHandle } from './session-proxy.js'

/** The Express middleware {@link importExpressSessions} returns. */
export type ImportExpressSessionsMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Moves express-session's sessions into Tessera as their browsers come back, so switching
 * signs nobody out. Mount it right after `session()` and before anything that reads the
 * session (`passport.session()`, `csrf()`, `flash()`); remove it once the old sessions have
 * expired.
 *
 * A request with a Tessera session passes straight through (no legacy store call). One with
 * only a valid express-session cookie has its record read from the legacy store and its data
 * (passport's `passport.user` included, express-session's `cookie` field excepted) put into a
 * new Tessera session, with the legacy lifetime. Once the response carries the Tessera cookie,
 * the legacy cookie is cleared in that same response and the legacy record deleted after it;
 * a response that does not (a 5xx, a withheld Secure cookie) leaves both for the next request.
 * A forged, unknown or expired legacy cookie is cleared and otherwise ignored; a legacy store
 * failure goes to `onError` and the request goes on with a fresh session.
 *
 * @example
 * ```ts
 * app.use(session({ secret: process.env.SESSION_SECRET!, store }))
 * app.use(importExpressSessions({ secret: ['old-secret'], name: 'connect.sid', store: legacyStore }))
 * app.use(passport.session())
 * ```
 */
export function importExpressSessions(
  options: ImportExpressSessionsOptions,
): ImportExpressSessionsMiddleware {
  const config = resolveImportConfig(options)
  const reads = new SharedReads(config.shareWindowMs)
  const report = config.onError ?? defaultReport
  guardInstalledExpress()

  return (req, res, next) => {
    const values = readCookieValues(req.headers.cookie, config.name)
    // No legacy cookie: the common case, and it costs one scan of the Cookie header.
    if (values.length === 0) {
      next()
      return
    }
    const handle = handleOf(req)
    if (handle === undefined) {
      next(unmounted(req))
      return
    }
    handle.used()
    // A Tessera session already: untouched, whatever the legacy cookie says.
    if (!handle.session.isNew) {
      next()
      return
    }
    const emit = (event: ImportExpressSessionsEvent): void => {
      try {
        config.onEvent?.(event, req)
      } catch (error) {
        console.error(error)
      }
    }
    const engine = handle.engine.options
    const timeoutMs = config.storeTimeoutMs ?? engine.storeTimeoutMs
    // When Tessera took over express-session's cookie name and path, its own cookie replaces the
    // legacy one: a clearing Set-Cookie would delete the new cookie instead.
    const clearing =
      engine.cookie.name === config.name &&
      engine.cookie.path === config.cookie.path &&
      engine.cookie.domain === config.cookie.domain
        ? null
        : clearingCookie(
            config.name,
            config.cookie,
            secureClear(req, config.name, config.cookie.secure),
          )
    const ignore = (reason: 'bad-signature' | 'not-found' | 'expired' | 'empty' | 'too-large') => {
      if (clearing !== null) appendSetCookie(res, clearing)
      emit({ type: 'ignored', reason })
    }
    const destroyLater = (sid: string): Promise<void> =>
      destroyRecord(config.store, sid, timeoutMs).catch((error: LegacySessionStoreError) =>
        report(error, req),
      )

    const sid = verifyLegacyCookie(values, config.secrets)
    if (sid === null) {
      ignore('bad-signature')
      next()
      return
    }
    const { read, shared } = reads.read(sid, () => getRecord(config.store, sid, timeoutMs))
    const imported = (record: LegacyRecord): void => {
      if (record === null) {
        ignore('not-found')
        return
      }
      const legacy = parseLegacyRecord(record)
      const now = Date.now()
      if (legacy.expires !== null && legacy.expires.getTime() <= now) {
        ignore('expired')
        void destroyLater(sid)
        return
      }
      const data = cloneData(legacy.data)
      const keys = Object.keys(data).filter((key) => data[key] !== undefined)
      if (keys.length === 0) {
        ignore('empty')
        void destroyLater(sid)
        return
      }
      // A session Tessera cannot save would fail every request of this browser: leave it.
      if (jsonLength(data) > engine.maxSize) {
        ignore('too-large')
        return
      }
      const lifetime = config.lifetime
        ? config.lifetime({ data, originalMaxAge: legacy.originalMaxAge, expires: legacy.expires })
        : legacyLifetime(legacy, engine, now)
      moveInto(handle, data, keys)
      if (lifetime !== null) handle.session.setLifetime(lifetime)
      emit({ type: 'imported', shared })
      watchDelivery(res, {
        cookieName: engine.cookie.name,
        idHeader: engine.idHeader,
        clearing,
        settled(outcome) {
          if (outcome !== 'delivered') {
            if (!ended(req, handle)) {
              emit({ type: 'kept' })
              return
            }
            // Ended by the route (a logout): a parallel request must not bring the data back.
            reads.drop(sid)
          }
          void destroyLater(sid).then(() => emit({ type: 'completed' }))
        },
      })
    }
    read.then(
      (record) => {
        try {
          imported(record)
        } catch (error) {
          next(error)
          return
        }
        next()
      },
      (error: LegacySessionStoreError) => {
        report(error, req)
        emit({ type: 'ignored', reason: 'store-error' })
        // Under a shared cookie name, Tessera clears the value it cannot read: keep it for the retry.
        if (clearing === null) keepCookie(res, config.name)
        next()
      },
    )
  }
}

/** Puts the legacy data into the new session; connect-flash's pending messages become flashes. */
function moveInto(handle: SessionHandle, data: Record<string, unknown>, keys: string[]): void {
  // Legacy keys are whatever the old app stored, so any string (the app's SessionData types
  // only what it declares).
  const session = handle.session as unknown as Session<Record<string, unknown>>
  for (const key of keys) {
    const value = data[key]
    if (key === 'flash' && isFlashBag(value)) {
      for (const [type, messages] of Object.entries(value)) {
        for (const message of messages) session.flash(type, message)
      }
    } else {
      session.set(key, value)
    }
  }
}

function isFlashBag(value: unknown): value is Record<string, unknown[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(Array.isArray)
  )
}

/** Whether the route ended the imported session (logout, destroy, `req.session = null`). */
function ended(req: IncomingMessage, handle: SessionHandle): boolean {
  if (sessionCleared(req)) return true
  try {
    return handle.session.keys().length === 0
  } catch {
    return true
  }
}

/** A copy the request owns: a shared read hands the same record to several requests. */
function cloneData(data: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(data)
  } catch {
    return JSON.parse(JSON.stringify(data)) as Record<string, unknown>
  }
}

function jsonLength(data: Record<string, unknown>): number {
  try {
    return Buffer.byteLength(JSON.stringify(data))
  } catch {
    return 0
  }
}

/** `Secure` on the clearing cookie: as configured, or (`'auto'`) when it could be set at all. */
function secureClear(req: IncomingMessage, name: string, secure: boolean | 'auto'): boolean {
  if (secure !== 'auto') return secure
  if (name.startsWith('__Secure-') || name.startsWith('__Host-')) return true
  return (req as { secure?: boolean }).secure === true
}

/** Why there is no Tessera session handle: `session()` missing, or the path is outside its cookie. */
function unmounted(req: IncomingMessage): unknown {
  let value: unknown
  try {
    value = (req as { session?: unknown }).session
  } catch {
    return missingSession('importExpressSessions()')
  }
  // Outside session()'s cookie path `req.session` is undefined, as in express-session: nothing to do.
  if (value === undefined || value === null) return undefined
  return missingSession('importExpressSessions()')
}

function defaultReport(error: unknown): void {
  if (globalThis.process?.env?.NODE_ENV === 'test') return
  console.error(error)
}

export type { ImportExpressSessionsOptions }
