import type { StoreOperation } from '../errors.js'
import type { ResolvedSessionOptions } from '../options/resolved-session-options.js'
import type { ExclusiveSections } from './exclusive-sections.js'
import type { ExpiryPolicy } from './expiry.js'
import type { SessionEvents } from './session-events.js'
import type { PayloadCodec } from './session-payload.js'
import type { SignedIds } from './signed-id.js'
import type { UserSessions } from './user-sessions.js'

/**
 * What one request's session needs from the engine: the resolved options and the engine's
 * services. A narrow interface, so the request side does not depend on the engine class.
 */
export interface EngineContext {
  readonly options: Readonly<ResolvedSessionOptions>
  readonly codec: PayloadCodec
  readonly ids: SignedIds
  readonly expiry: ExpiryPolicy
  readonly users: UserSessions
  readonly sections: ExclusiveSections
  /** Runs a store call under `storeTimeout`; failures become `SessionStoreError`. */
  storeCall<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T>
  emit<E extends keyof SessionEvents>(event: E, payload: SessionEvents[E]): void
}
