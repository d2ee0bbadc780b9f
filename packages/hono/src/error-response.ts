import { TesseraError } from '@tessera/core'

const STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/**
 * Gives a Tessera error the `getResponse()` Hono's default error handler looks for, so a
 * `SessionStoreError` answers 503 and a `CsrfTokenError` 403 even without `app.onError`.
 * The error keeps its class, so a custom `onError` can still test `instanceof`.
 * Errors with status 500 are left alone: Hono's handler then logs them.
 */
export function withResponse(error: unknown): unknown {
  if (!(error instanceof TesseraError) || error.status === 500 || 'getResponse' in error) {
    return error
  }
  const status = error.status
  Object.defineProperty(error, 'getResponse', {
    configurable: true,
    value: () =>
      new Response(error.expose ? error.message : (STATUS_TEXT[status] ?? 'Error'), {
        status,
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
      }),
  })
  return error
}
