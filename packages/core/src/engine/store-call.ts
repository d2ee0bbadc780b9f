import { SessionStoreConfigError, SessionStoreError, type StoreOperation } from '../errors.js'

/**
 * Runs one store call under `timeoutMs`; a failure or timeout becomes a
 * {@link SessionStoreError} (an outage, 503), except a {@link SessionStoreConfigError}, which
 * passes through as it is (a setup mistake, 500). A store that answers after the timeout is
 * ignored.
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
    return Promise.reject(wrap(operation, error))
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
        reject(wrap(operation, error))
      },
    )
  })
}

function wrap(operation: StoreOperation, error: unknown): Error {
  if (error instanceof SessionStoreError || error instanceof SessionStoreConfigError) return error
  return new SessionStoreError(operation, { cause: error })
}
