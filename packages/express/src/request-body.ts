import type { IncomingMessage } from 'node:http'
import { SessionMiddlewareMissingError } from '@tessera/core/adapter'

/** A request stream some body parser already read (Express 4's body-parser sets `_body`). */
export function bodyConsumed(req: IncomingMessage): boolean {
  return (req as { _body?: unknown })._body === true || req.readableEnded
}

/** The error for `feature` used where `session()` did not run. */
export function missingSession(feature: string): SessionMiddlewareMissingError {
  return new SessionMiddlewareMissingError(
    feature,
    'mount app.use(session({ ... })) from @tessera/express before it (and before the routers that use it).',
  )
}
