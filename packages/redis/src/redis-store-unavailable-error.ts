import { TesseraError } from '@tessera/core'

/**
 * The store refused a call because its ioredis client is disconnected (see the `failFast`
 * option). The engine wraps it in a `SessionStoreError` (HTTP 503); the next request tries
 * again, so the app recovers as soon as ioredis reconnects.
 */
export class RedisStoreUnavailableError extends TesseraError {
  /** The client's `status` when the call was refused, e.g. `'reconnecting'`. */
  readonly clientStatus: string

  constructor(clientStatus: string) {
    super(
      'SESSION_STORE_FAILED',
      `Redis is not connected (ioredis status "${clientStatus}"); the call was not queued. Requests succeed again once ioredis reconnects.`,
      { status: 503 },
    )
    this.clientStatus = clientStatus
  }
}
