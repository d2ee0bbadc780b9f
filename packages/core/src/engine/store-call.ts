import { SessionStoreError, type StoreOperation } from '../errors.js'

/**
 * Runs one store call under `timeoutMs`; any failure or timeout becomes a
 * {@link SessionStoreError}. A store that answers after the timeout is ignored.
 */
export function storeCall<T>(
  operation: StoreOperation,
  run: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let pending: Promise<T>
  try {
    pending = run()
  } catch (error) {
    return Promise.reject(new SessionStoreError(operation, { cause: error }))
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new SessionStoreError(operation, { timeoutMs })),
      timeoutMs,
    )
    Promise.resolve(pending).then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(
          error instanceof SessionStoreError
            ? error
            : new SessionStoreError(operation, { cause: error }),
        )
      },
    )
  })
}
