import type { ServerResponse } from 'node:http'
import { applyWriteHeadHeaders } from './response-headers.js'

/** What {@link holdResponse} runs around the moment the response's headers would go out. */
export interface ResponseHold {
  /**
   * Runs once, when the route first writes (`writeHead`, `write`, `end` or `flushHeaders`),
   * with the status the response is about to carry. Nothing reaches the socket until it
   * settles; it may still set headers.
   */
  beforeHeaders(status: number): Promise<void>
  /** `beforeHeaders` failed: answer instead of the route (the route's writes are dropped). */
  onFailure(error: unknown, endCallback: (() => void) | undefined): void
}

type AnyFunction = (...args: unknown[]) => unknown

type HeldCall =
  | { kind: 'writeHead'; args: unknown[] }
  | { kind: 'write'; args: unknown[] }
  | { kind: 'end'; args: unknown[] }
  | { kind: 'flushHeaders'; args: unknown[] }

/**
 * Holds a response's first write until `hold.beforeHeaders` has finished (the session's store
 * write), the way express-session wraps `res.end`, but for every path that can flush headers:
 * `writeHead`, `write` (streams, `pipe`), `end` (`send`, `json`, `redirect`) and
 * `flushHeaders`. Held calls are replayed in order afterwards; `write` reports backpressure
 * while held and emits `'drain'` once released, so piped streams wait instead of buffering.
 *
 * The wrappers stay in place (pass-through once released), so middleware that wrapped the
 * same methods before or after keeps working.
 */
export function holdResponse(res: ServerResponse, hold: ResponseHold): void {
  const original = {
    writeHead: res.writeHead as unknown as AnyFunction,
    write: res.write as unknown as AnyFunction,
    end: res.end as unknown as AnyFunction,
    flushHeaders: res.flushHeaders as unknown as AnyFunction,
  }
  let phase: 'open' | 'held' | 'released' = 'open'
  let owesDrain = false
  const held: HeldCall[] = []

  const release = (): void => {
    phase = 'released'
    let writable = true
    for (const call of held) {
      if (call.kind === 'writeHead') {
        replayWriteHead(call.args)
        continue
      }
      const result = original[call.kind].apply(res, call.args)
      if (call.kind === 'write') writable = result !== false
    }
    held.length = 0
    if (owesDrain && writable && !res.writableEnded && !res.destroyed) res.emit('drain')
  }

  /** Headers given to `writeHead` are merged (Set-Cookie appended, Vary merged), not replacing ours. */
  const replayWriteHead = (args: unknown[]): void => {
    if (res.headersSent) return
    const [status, second, third] = args
    const message = typeof second === 'string' ? second : undefined
    const headers = typeof second === 'string' ? third : second
    if (headers !== undefined) applyWriteHeadHeaders(res, headers)
    if (message === undefined) original.writeHead.call(res, status)
    else original.writeHead.call(res, status, message)
  }

  const fail = (error: unknown): void => {
    phase = 'released'
    let endCallback: (() => void) | undefined
    for (const call of held) {
      if (call.kind !== 'end') continue
      const last = call.args[call.args.length - 1]
      if (typeof last === 'function') endCallback = last as () => void
    }
    held.length = 0
    hold.onFailure(error, endCallback)
  }

  const holdCall = (call: HeldCall, status: number): void => {
    held.push(call)
    if (phase !== 'open') return
    phase = 'held'
    let pending: Promise<void>
    try {
      pending = hold.beforeHeaders(status)
    } catch (error) {
      pending = Promise.reject(error)
    }
    pending.then(release, fail).catch((error: unknown) => {
      // A throw while replaying the route's own writes: nothing left to answer with.
      if (!res.destroyed) res.destroy(error instanceof Error ? error : undefined)
    })
  }

  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    if (phase === 'released' || res.headersSent) return original.writeHead.apply(this, args)
    holdCall({ kind: 'writeHead', args }, typeof args[0] === 'number' ? args[0] : res.statusCode)
    return this
  } as ServerResponse['writeHead']

  res.write = function write(this: ServerResponse, ...args: unknown[]) {
    if (phase === 'released' || res.headersSent) return original.write.apply(this, args) as boolean
    holdCall({ kind: 'write', args }, res.statusCode)
    owesDrain = true
    return false
  } as ServerResponse['write']

  res.end = function end(this: ServerResponse, ...args: unknown[]) {
    if (phase === 'released' || res.headersSent) return original.end.apply(this, args)
    holdCall({ kind: 'end', args }, res.statusCode)
    return this
  } as ServerResponse['end']

  res.flushHeaders = function flushHeaders(this: ServerResponse) {
    if (phase === 'released' || res.headersSent) return original.flushHeaders.apply(this, [])
    holdCall({ kind: 'flushHeaders', args: [] }, res.statusCode)
  } as ServerResponse['flushHeaders']
}
