import type { SessionStore } from '@tessera/core'
import { type StoreMethod, wrapStore } from '../src/test-helpers/wrap-store.js'

/** One held call, from {@link ControlledStore.hold}. */
export interface Hold {
  /** Resolves once the held call has got this far (reached the store, or been answered). */
  reached: Promise<void>
  /** Lets the held call go on. */
  release(): void
}

/**
 * A store whose calls a test steers, method by method: make them fail (always, or with a
 * probability), hang, or stop at a gate to force one interleaving of concurrent requests.
 */
export interface ControlledStore {
  store: SessionStore
  /** Each call of `method` throws with this probability (0 turns it off, 1 always). */
  fail(method: StoreMethod, probability?: number): void
  /** Calls of `method` never answer (`false` turns it off). */
  hang(method: StoreMethod, on?: boolean): void
  /**
   * Holds the next call of `method`: `'before'` it reaches the store (the store has not seen
   * it yet), or `'after'` the store answered (the answer is on its way back).
   */
  hold(method: StoreMethod, where: 'before' | 'after'): Hold
  /** Faults seen so far, by method. */
  failures: Partial<Record<StoreMethod, number>>
}

interface PendingHold {
  where: 'before' | 'after'
  reached: () => void
  released: Promise<void>
}

export function controlledStore(inner: SessionStore): ControlledStore {
  const failing = new Map<StoreMethod, number>()
  const hanging = new Set<StoreMethod>()
  const holds = new Map<StoreMethod, PendingHold[]>()
  const failures: Partial<Record<StoreMethod, number>> = {}

  const store = wrapStore(inner, async (method, call) => {
    const probability = failing.get(method) ?? 0
    if (probability > 0 && Math.random() < probability) {
      failures[method] = (failures[method] ?? 0) + 1
      throw new Error(`test fault: ${method} failed`)
    }
    if (hanging.has(method)) return new Promise<never>(() => {})
    const pending = holds.get(method)?.shift()
    if (pending?.where === 'before') {
      pending.reached()
      await pending.released
    }
    const result = await call()
    if (pending?.where === 'after') {
      pending.reached()
      await pending.released
    }
    return result
  })

  return {
    store,
    failures,
    fail(method, probability = 1) {
      failing.set(method, probability)
    },
    hang(method, on = true) {
      if (on) hanging.add(method)
      else hanging.delete(method)
    },
    hold(method, where) {
      let reached!: () => void
      let release!: () => void
      const reachedPromise = new Promise<void>((resolve) => {
        reached = resolve
      })
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      const queue = holds.get(method) ?? []
      queue.push({ where, reached, released })
      holds.set(method, queue)
      return { reached: reachedPromise, release }
    },
  }
}
