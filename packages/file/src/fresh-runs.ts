interface Slot<T> {
  running: Promise<T>
  queued: Promise<T> | undefined
}

/**
 * Runs of an operation per name, shared by concurrent callers but never stale: `run(name,
 * operation)` resolves with the outcome of a run that started after the call. Callers that
 * arrive while a run is going share the next one, which starts when that run ends; so at
 * most two runs per name are ever pending, however many callers there are.
 *
 * It serves reads (a read that started after the caller's call sees every write that
 * finished before it) and directory fsyncs (group commit: one fsync that started after a
 * rename makes it durable).
 */
export class FreshRuns<T> {
  readonly #slots = new Map<string, Slot<T>>()

  run(name: string, operation: () => Promise<T>): Promise<T> {
    const slot = this.#slots.get(name)
    if (slot === undefined) return this.#start(name, operation)
    if (slot.queued !== undefined) return slot.queued
    // The running one may have started before this call: queue the next.
    const start = () => this.#start(name, operation)
    slot.queued = slot.running.then(start, start)
    return slot.queued
  }

  #start(name: string, operation: () => Promise<T>): Promise<T> {
    const running: Promise<T> = Promise.resolve()
      .then(operation)
      .finally(() => {
        const slot = this.#slots.get(name)
        if (slot?.running === running && slot.queued === undefined) this.#slots.delete(name)
      })
    const slot = this.#slots.get(name)
    if (slot === undefined) this.#slots.set(name, { running, queued: undefined })
    else {
      slot.running = running
      slot.queued = undefined
    }
    return running
  }
}
