import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ExpressSession } from './express-session.js'
import type { FlashOptions } from './flash-options.js'
import { missingSession } from './request-body.js'
import { currentSession, handleOf } from './request-session-guard.js'

interface FlashRequest extends IncomingMessage {
  session?: ExpressSession | null
  flash?: unknown
}

/** The Express middleware {@link flash} returns. */
export type FlashMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/** `req.flash`, connect-flash compatible (as passport's `failureFlash` and `successFlash` use it). */
export interface RequestFlash {
  /** Adds `message` (each one, for an array) under `type`. */
  (type: string, message: unknown): void
  /** Returns and removes the messages under `type`. */
  (type: string): unknown[]
}

/**
 * Flash messages for templates and for connect-flash users. Adds `req.flash(type, message)` /
 * `req.flash(type)` (connect-flash's API, over `req.session.flash` / `takeFlash`, so
 * passport's `failureFlash` works) and a `res.locals.flash(type)` function for templates.
 * Replaces connect-flash: mount it instead, after `session()`.
 */
export function flash(options: FlashOptions = {}): FlashMiddleware {
  const local = options.local ?? 'flash'
  return (req, res, next) => {
    const request = req as FlashRequest
    if (!handleOf(req)) {
      next(missingSession('flash()'))
      return
    }
    const current = (): ExpressSession => {
      const value = currentSession(req)
      if (!value) throw missingSession('req.flash()')
      return value
    }
    const take = (type: string): unknown[] => current().takeFlash(type)
    const requestFlash = (...args: unknown[]): unknown => {
      const [type, message] = args
      if (typeof type !== 'string') {
        throw new TypeError(
          'req.flash() needs a type: req.flash(type) takes its messages, req.flash(type, message) adds one.',
        )
      }
      if (args.length < 2) return take(type)
      const messages = Array.isArray(message) ? message : [message]
      for (const item of messages) current().flash(type, item)
      return undefined
    }
    request.flash = requestFlash
    const locals = (res as { locals?: Record<string, unknown> }).locals
    if (local !== false && locals && !Object.hasOwn(locals, local)) locals[local] = take
    next()
  }
}
