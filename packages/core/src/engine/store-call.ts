import { SessionStoreConfigError, SessionStoreError, type StoreOperation } from '../errors.js'

/** A store call waiting for its answer or its deadline. */
interface PendingCall {
  deadline: number
  operation: StoreOperation
  settled: boolean
  reject(error: Error): void
}

/**
 * Runs store calls under one timeout. Every call gets the same timeout, so deadlines come in
 * the order calls start: they wait in a queue, and one timer, armed for the oldest unsettled
 * deadline, fails whatever has passed it. A request costs no timer of its own (creating and
 * clearing one per store call showed in profiles).
 */
export class StoreCalls {
  private queue: PendingCall[] = []
  private head = 0
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly timeoutMs: number) {}

  /**
   * Runs one store call; a failure or timeout becomes a {@link SessionStoreError} (an outage,
   * 503), except a {@link SessionStoreConfigError}, which passes through as it is (a setup
   * mistake, 500). A store that answers after the timeout is ignored.
   */
  run<T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> {
    let pending: Promise<T>
    try {
      pending = call()
    } catch (error) {
      return Promise.reject(wrap(operation, error))
    }
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = {
        deadline: Date.now() + this.timeoutMs,
        operation,
        settled: false,
        reject,
      }
      this.queue.push(entry)
      if (this.timer === null) this.arm()
      Promise.resolve(pending).then(
        (value) => {
          this.settle(entry)
          resolve(value)
        },
        (error: unknown) => {
          this.settle(entry)
          reject(wrap(operation, error))
        },
      )
    })
  }

  /** Calls mostly settle in the order they started: drop them from the queue as they do. */
  private settle(entry: PendingCall): void {
    entry.settled = true
    if (this.queue[this.head] === entry) this.oldestPending()
  }

  private arm(): void {
    const next = this.oldestPending()
    if (next === null) {
      this.timer = null
      return
    }
    this.timer = setTimeout(() => this.expire(), Math.max(0, next.deadline - Date.now()))
    // A pending store call keeps the process alive through its own I/O, not through this.
    const timer = this.timer as { unref?: () => void }
    timer.unref?.()
  }

  private expire(): void {
    const now = Date.now()
    for (let entry = this.oldestPending(); entry !== null; entry = this.oldestPending()) {
      if (entry.deadline > now) break
      entry.settled = true
      entry.reject(new SessionStoreError(entry.operation, { timeoutMs: this.timeoutMs }))
    }
    this.arm()
  }

  /** The oldest unsettled call, dropping settled ones from the front of the queue. */
  private oldestPending(): PendingCall | null {
    const queue = this.queue
    while (this.head < queue.length && (queue[this.head] as PendingCall).settled) this.head++
    if (this.head === queue.length) {
      // Emptied in place: a new array per drained queue (nearly every call) showed as garbage.
      queue.length = 0
      this.head = 0
      return null
    }
    if (this.head > 256 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head)
      this.head = 0
    }
    return this.queue[this.head] as PendingCall
  }
}

function wrap(operation: StoreOperation, error: unknown): Error {
  if (error instanceof SessionStoreError || error instanceof SessionStoreConfigError) return error
  return new SessionStoreError(operation, { cause: error })
}
