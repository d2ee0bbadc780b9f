import type { SessionStore } from '@tessera/core'
import { wrapStore } from './test-helpers/wrap-store.js'

/**
 * How much {@link slowStore} delays each call.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@tessera/core'
 * import { slowStore } from '@tessera/testkit'
 *
 * // Every call waits 1–8 ms before it reaches the store and again before it answers,
 * // so concurrent commits overlap the way they do against a networked store.
 * const store = slowStore(new MemoryStore(), { minMs: 1, maxMs: 8 })
 * ```
 */
export interface SlowStoreOptions {
  /** Shortest delay in milliseconds, on each side of the call. Default `0`. */
  minMs?: number
  /** Longest delay in milliseconds, on each side of the call. Default `5`. */
  maxMs?: number
}

function randomDelay(minMs: number, maxMs: number): Promise<void> {
  const ms = minMs + Math.random() * (maxMs - minMs)
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * Wraps a store so that every call waits a random time before it reaches the store, and
 * again before its answer comes back. Read-modify-write sequences then interleave the way
 * they do against a networked store, which makes races (lost updates, resurrection) show up
 * in tests against an in-process store.
 *
 * The wrapper has exactly the optional methods the wrapped store has, so capability
 * detection by presence sees the same store.
 */
export function slowStore(store: SessionStore, options: SlowStoreOptions = {}): SessionStore {
  const minMs = options.minMs ?? 0
  const maxMs = options.maxMs ?? Math.max(5, minMs)
  if (!(Number.isFinite(minMs) && Number.isFinite(maxMs) && minMs >= 0 && maxMs >= minMs)) {
    throw new RangeError(
      `slowStore needs 0 <= minMs <= maxMs (finite); got minMs=${minMs}, maxMs=${maxMs}.`,
    )
  }
  return wrapStore(store, async (method, call) => {
    // close() releases the store's own resources; delaying it would only slow teardown.
    if (method === 'close') return call()
    await randomDelay(minMs, maxMs)
    const result = await call()
    await randomDelay(minMs, maxMs)
    return result
  })
}
