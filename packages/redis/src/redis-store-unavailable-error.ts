import { TesseraError } from '@tessera/core'

/**
 * The store refused a call because its ioredis client is disconnected (see the `failFast`
 * option). The engine wraps it in a `SessionStoreError` (HTTP 503); the next request tries
 * again, so the app recovers as soon as ioredis reconnects.
 */
export class RedisStoreUnavailableError extends TesseraError<'REDIS_NOT_CONNECTED'> {
  /** The client's `status` when the call was refused, e.g. `'reconnecting'`. */
  readonly clientStatus: string
  /** `host:port` of a standalone client, when ioredis reports it. */
  readonly address: string | null

  constructor(clientStatus: string, address: string | null = null) {
    super(
      'REDIS_NOT_CONNECTED',
      `Redis${address ? ` at ${address}` : ''} is not connected (ioredis status "${clientStatus}"); the call was not queued. Requests succeed again once ioredis reconnects`,
      { status: 503 },
    )
    this.clientStatus = clientStatus
    this.address = address
  }
}
