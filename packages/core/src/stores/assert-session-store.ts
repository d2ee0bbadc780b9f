import { SessionConfigError } from '../errors.js'
import type { SessionStore } from './session-store.js'

const REQUIRED_METHODS = ['get', 'set', 'touch', 'destroy'] as const

/**
 * Throws {@link SessionConfigError} naming `option` unless `store` has the required methods
 * of the contract: for stores built from other stores, which would otherwise fail on the
 * first request instead of at start-up.
 */
export function assertSessionStore(option: string, store: SessionStore | undefined): void {
  if (
    typeof store !== 'object' ||
    store === null ||
    REQUIRED_METHODS.some((name) => typeof store[name] !== 'function')
  ) {
    throw new SessionConfigError(
      option,
      'expected a session store (an object with get, set, touch and destroy), such as a MemoryStore, a RedisStore, a KyselyStore or a FileStore.',
    )
  }
}
