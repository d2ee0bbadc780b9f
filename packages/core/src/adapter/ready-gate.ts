import type { SessionEngine } from '../engine/session-engine.js'
import { SessionStoreConfigError } from '../errors.js'

/**
 * Calls `engine.ready()` until it has succeeded once: returns the promise to await while the
 * store has not confirmed it can work, and null from then on, so a ready app pays nothing
 * per request.
 *
 * A setup mistake (`SessionStoreConfigError`: a missing table, a wrong client) fails the
 * request with its fix, and every request after it until it is fixed. An outage does not:
 * the request goes on (needing the store only if it carries a session), and the check runs
 * again with the next request, so routes that never touch the session keep working while the
 * store is down.
 */
export function readyGate(
  engine: Pick<SessionEngine<object>, 'ready'>,
): () => Promise<void> | null {
  let ready = false
  return () => {
    if (ready) return null
    return engine.ready().then(
      () => {
        ready = true
      },
      (error: unknown) => {
        if (error instanceof SessionStoreConfigError) throw error
      },
    )
  }
}
