/** What {@link KeyedMutex.acquire} resolves with: a release function, or why there is none. */
export type Acquired = (() => void) | 'timeout' | 'doomed'

interface Waiter {
  answer(acquired: Acquired): void
  doomed: ((left: unknown) => boolean) | undefined
  timer: ReturnType<typeof setTimeout>
}

interface Slot {
  /** `performance.now()` when the current holder got it. */
  since: number
  waiters: Waiter[]
}

/**
 * Mutual exclusion per name inside this thread, first come first served. The file lock
 * alone would do, but waiters in one process would then poll the file system for each other;
 * queued here they take turns at once and only other processes poll.
 */
export class KeyedMutex {
  readonly #slots = new Map<string, Slot>()

  /**
   * Resolves with a release function once `name` is free, with `'timeout'` after
   * `timeoutMs`, or with `'doomed'` when {@link settle} finds `doomed` true.
   */
  acquire(name: string, timeoutMs: number, doomed?: (left: unknown) => boolean): Promise<Acquired> {
    const slot = this.#slots.get(name)
    if (slot === undefined) {
      this.#slots.set(name, { since: performance.now(), waiters: [] })
      return Promise.resolve(this.#releaser(name))
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        answer: resolve,
        doomed,
        timer: setTimeout(() => {
          const at = slot.waiters.indexOf(waiter)
          if (at !== -1) slot.waiters.splice(at, 1)
          resolve('timeout')
        }, timeoutMs),
      }
      slot.waiters.push(waiter)
    })
  }

  /** When the current holder of `name` got it; `undefined` when nobody holds it. */
  heldSince(name: string): number | undefined {
    return this.#slots.get(name)?.since
  }

  /**
   * The holder of `name` tells what it leaves behind (e.g. the version it wrote), while it
   * still holds the lock: every waiter queued now is in flight while that is true, so one
   * whose `doomed(left)` holds is answered `'doomed'` at once instead of waiting its turn.
   */
  settle(name: string, left: unknown): void {
    const slot = this.#slots.get(name)
    if (slot === undefined) return
    slot.waiters = slot.waiters.filter((waiter) => {
      if (!waiter.doomed?.(left)) return true
      clearTimeout(waiter.timer)
      waiter.answer('doomed')
      return false
    })
  }

  #releaser(name: string): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const slot = this.#slots.get(name)
      const next = slot?.waiters.shift()
      if (slot === undefined || next === undefined) {
        this.#slots.delete(name)
        return
      }
      clearTimeout(next.timer)
      slot.since = performance.now()
      next.answer(this.#releaser(name))
    }
  }
}
