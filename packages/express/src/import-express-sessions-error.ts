import { storeFailureReason, TesseraError } from '@tessera/core'

const CONSEQUENCE = {
  get: 'The request went on with a fresh Tessera session and the express-session cookie was left in place, so the next request tries the import again.',
  destroy:
    'The browser already has its Tessera session; the legacy record stays until the legacy store expires it.',
} as const

/**
 * The express-session store behind {@link importExpressSessions} failed or did not answer in
 * time. Never thrown at a request: it goes to `onError`, and the request goes on.
 */
export class LegacySessionStoreError extends TesseraError<
  'LEGACY_SESSION_STORE_FAILED' | 'LEGACY_SESSION_STORE_TIMEOUT'
> {
  readonly operation: 'get' | 'destroy'
  readonly timedOut: boolean
  constructor(operation: 'get' | 'destroy', options: { cause?: unknown; timeoutMs?: number } = {}) {
    const timedOut = options.timeoutMs !== undefined
    super(
      timedOut ? 'LEGACY_SESSION_STORE_TIMEOUT' : 'LEGACY_SESSION_STORE_FAILED',
      `The express-session store's ${operation}() ${storeFailureReason(options)}. ${CONSEQUENCE[operation]}`,
      { status: 503, cause: options.cause },
    )
    this.operation = operation
    this.timedOut = timedOut
  }
}
