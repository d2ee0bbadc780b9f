import type { MaybePromise } from './crypto-provider.js'

export type { MaybePromise }

/** True for a promise (or any thenable): the value is not there yet. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/** One settled promise to return where there is nothing to wait for. */
export const RESOLVED: Promise<void> = Promise.resolve()
