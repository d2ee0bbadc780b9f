import { TesseraError } from '../errors.js'
import type { CacheOperation } from './tiered-store-options.js'

/**
 * A {@link TieredStore}'s cache did not answer within `cacheTimeout`. It never fails a
 * request: the store goes on with the primary and hands this error to `onCacheError`.
 */
export class CacheTimeoutError extends TesseraError<'SESSION_CACHE_TIMEOUT'> {
  readonly operation: CacheOperation
  readonly timeoutMs: number
  constructor(operation: CacheOperation, timeoutMs: number) {
    super(
      'SESSION_CACHE_TIMEOUT',
      `The session cache did not answer ${operation} within ${timeoutMs} ms; the primary store answered instead. Check the cache server, or raise \`cacheTimeout\`.`,
      { status: 503 },
    )
    this.operation = operation
    this.timeoutMs = timeoutMs
  }
}
