import { LegacySessionStoreError } from './import-express-sessions-error.js'
import type { ExpressSessionStore } from './import-express-sessions-options.js'

/** A legacy record as read: the raw object the store returned, or nothing. */
export type LegacyRecord = Record<string, unknown> | null

/**
 * Calls a callback-style store method, bounded by `timeoutMs`. The promise settles once: a
 * late or second callback, a synchronous throw and a rejected promise (stores written as
 * `async get(sid, cb)`) are all handled.
 */
export function callStore<T>(
  operation: 'get' | 'destroy',
  timeoutMs: number,
  call: (callback: (error: unknown, value?: T) => void) => unknown,
): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => {
      finish(new LegacySessionStoreError(operation, { timeoutMs }))
    }, timeoutMs)
    timer.unref?.()
    const finish = (error: unknown, value?: T): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error === null || error === undefined) resolve(value)
      else
        reject(
          error instanceof LegacySessionStoreError
            ? error
            : new LegacySessionStoreError(operation, { cause: error }),
        )
    }
    try {
      const returned = call(finish)
      if (isThenable(returned))
        returned.then(undefined, (error: unknown) => finish(error ?? 'rejected'))
    } catch (error) {
      finish(error ?? 'threw')
    }
  })
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/** Reads one record through the store's callback `get`. */
export async function getRecord(
  store: ExpressSessionStore,
  sid: string,
  timeoutMs: number,
): Promise<LegacyRecord> {
  const value = await callStore<unknown>('get', timeoutMs, (callback) => store.get(sid, callback))
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

/** Deletes one record through the store's callback `destroy`. */
export async function destroyRecord(
  store: ExpressSessionStore,
  sid: string,
  timeoutMs: number,
): Promise<void> {
  await callStore<void>('destroy', timeoutMs, (callback) => store.destroy(sid, callback))
}

interface Entry {
  read: Promise<LegacyRecord>
  /** Until when (ms) a request may still take the record; `Infinity` while the read runs. */
  until: number
}

/** At most this many legacy ids are remembered; beyond it the oldest go first. */
const MAX_ENTRIES = 10_000

/**
 * Legacy reads shared by parallel requests with the same cookie (the first page load fires
 * several at once): the first asks the store, the others, until `windowMs` after its answer,
 * take the same record, so every response carries a Tessera session holding the data and the
 * browser keeps whichever cookie arrives last. Failed and empty reads are not shared.
 */
export class SharedReads {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The record under `sid`, and whether another request's read provided it. */
  read(
    sid: string,
    fetch: () => Promise<LegacyRecord>,
  ): { read: Promise<LegacyRecord>; shared: boolean } {
    if (this.windowMs <= 0) return { read: fetch(), shared: false }
    const now = this.now()
    const existing = this.entries.get(sid)
    if (existing && existing.until > now) return { read: existing.read, shared: true }
    this.sweep(now)
    const entry: Entry = { read: fetch(), until: Number.POSITIVE_INFINITY }
    this.entries.set(sid, entry)
    entry.read.then(
      (record) => {
        if (record === null) this.forget(sid, entry)
        else entry.until = this.now() + this.windowMs
      },
      () => this.forget(sid, entry),
    )
    return { read: entry.read, shared: false }
  }

  /** Stops sharing `sid` (the route ended the session: a parallel request must not revive it). */
  drop(sid: string): void {
    this.entries.delete(sid)
  }

  private forget(sid: string, entry: Entry): void {
    if (this.entries.get(sid) === entry) this.entries.delete(sid)
  }

  /** Entries are kept in insertion order, which is nearly expiry order: drop from the front. */
  private sweep(now: number): void {
    for (const [sid, entry] of this.entries) {
      if (entry.until > now && this.entries.size < MAX_ENTRIES) break
      this.entries.delete(sid)
    }
  }
}
