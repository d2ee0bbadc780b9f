import { OutgoingMessage, ServerResponse } from 'node:http'
import type { MaybePromise } from '@tessera/core'
import { isPromise } from '@tessera/core/adapter'
import { type HoldCarrier, REQUEST_SLOT, RESPONSE_HOLD } from './request-slot.js'
import { applyWriteHeadHeaders } from './response-headers.js'

/** What {@link holdResponse} runs around the moment the response's headers would go out. */
export interface ResponseHold {
  /**
   * Runs once, when the route first writes (`writeHead`, `write`, `end` or `flushHeaders`),
   * with the status the response is about to carry. Nothing reaches the socket until it
   * settles. It gives what sets the session's headers, which runs just before the route's
   * writes are replayed (when headers can still be set, even after a held `end()`); without a
   * promise (nothing to write), the route's call goes through at once.
   */
  beforeHeaders(status: number): MaybePromise<(() => void) | undefined>
  /** `beforeHeaders` failed: answer instead of the route (the route's writes are dropped). */
  onFailure(error: unknown, endCallback: (() => void) | undefined): void
}

type AnyFunction = (this: ServerResponse, ...args: unknown[]) => unknown
type HeldKind = 'writeHead' | 'write' | 'end' | 'flushHeaders'
interface HeldCall {
  kind: HeldKind
  args: unknown[]
}

/** A response's hold when its request carries no slot for it (a plain Node request). */
const HOLD = Symbol('tessera.express.hold')

interface HeldResponse extends ServerResponse {
  [HOLD]?: Hold
  req: ServerResponse['req'] & { [REQUEST_SLOT]?: Partial<HoldCarrier> }
}

/**
 * Where the wrappers find a response's hold: its request's slot, else the response itself.
 * The slot comes first: a property the response lacks is looked up through its whole
 * prototype chain, and each Express response has a hidden class of its own (request-slot.ts),
 * so no lookup on it is ever cached.
 */
function holdOf(res: HeldResponse): Hold | undefined {
  const slot = res.req?.[REQUEST_SLOT]
  if (typeof slot === 'object' && slot !== null && RESPONSE_HOLD in slot) {
    const hold = slot[RESPONSE_HOLD]
    return hold instanceof Hold ? hold : undefined
  }
  return res[HOLD]
}

const WRITE_METHODS = ['writeHead', 'write', 'end', 'flushHeaders'] as const
/** Header methods that throw once a plain Node response has ended. */
const HEADER_METHODS = ['setHeader', 'appendHeader', 'removeHeader', 'setHeaders'] as const

const outgoing = OutgoingMessage.prototype as unknown as Record<string, unknown>
const headersSentOf = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'headersSent')
  ?.get as (this: ServerResponse) => boolean
const writableEndedOf = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'writableEnded')
  ?.get as (this: ServerResponse) => boolean

/** Node's own error for a header change after the headers went out. */
function headersSentError(): Error {
  return Object.assign(new Error('Cannot set headers after they are sent to the client'), {
    code: 'ERR_HTTP_HEADERS_SENT',
  })
}

/** One response's held writes, and where it is in the hold. */
class Hold {
  phase: 'open' | 'held' | 'released' = 'open'
  owesDrain = false
  /** Set by a held `end()`: the status then (later changes have no effect, as on Node). */
  endedWithStatus: number | undefined = undefined
  readonly held: HeldCall[] = []
  /** Whether the last replayed `write` left room in the buffer. */
  writable = true

  constructor(
    readonly res: HeldResponse,
    /** The response's methods as they were below the wrappers. */
    readonly original: Readonly<Record<HeldKind, AnyFunction>>,
    readonly hooks: ResponseHold,
  ) {}

  /** Whether the route's calls must wait (`false`: pass them through). */
  holding(): boolean {
    return this.phase !== 'released' && !headersSentOf.call(this.res)
  }

  /** What `beforeHeaders` gave when {@link Hold.passes} found it must be waited for. */
  private pending:
    | { value: MaybePromise<(() => void) | undefined> }
    | { error: unknown }
    | undefined

  /**
   * The route's first write, before anything is held: runs `beforeHeaders`. True when it
   * needed no waiting (a read-only request, a session saved synchronously): the session's
   * headers are then set and the route's call goes through as it is, with no copy kept.
   */
  passes(status: number): boolean {
    let value: MaybePromise<(() => void) | undefined>
    try {
      value = this.hooks.beforeHeaders(status)
    } catch (error) {
      this.pending = { error }
      return false
    }
    if (isPromise(value)) {
      this.pending = { value }
      return false
    }
    this.phase = 'released'
    value?.()
    return true
  }

  hold(call: HeldCall, status: number): void {
    this.held.push(call)
    if (this.phase !== 'open') return
    this.phase = 'held'
    let pending: MaybePromise<(() => void) | undefined>
    const asked = this.pending
    this.pending = undefined
    if (asked !== undefined && 'error' in asked) {
      this.fail(asked.error)
      return
    }
    try {
      pending = asked !== undefined ? asked.value : this.hooks.beforeHeaders(status)
    } catch (error) {
      this.fail(error)
      return
    }
    if (!isPromise(pending)) {
      this.release(pending)
      return
    }
    pending
      .then(
        (setHeaders) => this.release(setHeaders),
        (error: unknown) => this.fail(error),
      )
      .catch((error: unknown) => {
        // A throw while replaying the route's own writes: nothing left to answer with.
        if (!this.res.destroyed) this.res.destroy(error instanceof Error ? error : undefined)
      })
  }

  release(setHeaders: (() => void) | undefined): void {
    const res = this.res
    this.phase = 'released'
    setHeaders?.()
    const held = this.held
    if (this.endedWithStatus !== undefined && !held.some((call) => call.kind === 'writeHead')) {
      res.statusCode = this.endedWithStatus
    }
    let writable = true
    for (const call of held) {
      if (call.kind === 'writeHead') {
        this.replayWriteHead(call.args)
        continue
      }
      const result = this.original[call.kind].apply(res, call.args)
      if (call.kind === 'write') writable = result !== false
    }
    held.length = 0
    this.writable = writable
    if (this.owesDrain && writable && !res.writableEnded && !res.destroyed) res.emit('drain')
  }

  /** Headers given to `writeHead` are merged (Set-Cookie appended, Vary merged), not replacing ours. */
  private replayWriteHead(args: unknown[]): void {
    const res = this.res
    if (res.headersSent) return
    const [status, second, third] = args
    const message = typeof second === 'string' ? second : undefined
    const headers = typeof second === 'string' ? third : second
    if (headers !== undefined) applyWriteHeadHeaders(res, headers)
    if (message === undefined) this.original.writeHead.call(res, status)
    else this.original.writeHead.call(res, status, message)
  }

  private fail(error: unknown): void {
    this.phase = 'released'
    let endCallback: (() => void) | undefined
    for (const call of this.held) {
      if (call.kind !== 'end') continue
      const last = call.args[call.args.length - 1]
      if (typeof last === 'function') endCallback = last as () => void
    }
    this.held.length = 0
    this.hooks.onFailure(error, endCallback)
  }

  /** True while a held `end()` waits: the response then acts as an ended one. */
  get ended(): boolean {
    return this.endedWithStatus !== undefined && this.phase === 'held'
  }
}

/**
 * The hold a route's `write`/`end` must wait for; none when the call can go through now (no
 * hold, already released, or a first write whose session headers needed no waiting).
 */
function holdToWaitFor(res: HeldResponse): Hold | undefined {
  const hold = holdOf(res)
  if (hold === undefined || !hold.holding()) return undefined
  if (hold.phase === 'open' && hold.passes(res.statusCode)) return undefined
  return hold
}

/** The wrappers, installed once per prototype: per request, only the hold is stored. */
// The wrappers pass `arguments` through rather than rest parameters: every response of the
// app goes through them (Express calls writeHead, setHeader and end several times a
// response), and a rest array per call was garbage on the hot path.
/* biome-ignore-start lint/complexity/noArguments: see above */
const WRAPPERS: Record<HeldKind, (original: AnyFunction) => AnyFunction> = {
  writeHead: (original) =>
    function writeHead(this: HeldResponse) {
      const hold = holdOf(this)
      if (hold === undefined || !hold.holding()) {
        return original.apply(this, arguments as unknown as unknown[])
      }
      const args = Array.from(arguments)
      if (hold.ended) throw headersSentError()
      hold.hold(
        { kind: 'writeHead', args },
        typeof args[0] === 'number' ? args[0] : this.statusCode,
      )
      return this
    },
  write: (original) =>
    function write(this: HeldResponse) {
      const hold = holdToWaitFor(this)
      if (hold === undefined) return original.apply(this, arguments as unknown as unknown[])
      hold.hold({ kind: 'write', args: Array.from(arguments) }, this.statusCode)
      // Released at once (the session's headers failed and the answer went out instead).
      if (hold.phase === 'released') return hold.writable
      hold.owesDrain = true
      return false
    },
  end: (original) =>
    function end(this: HeldResponse) {
      const hold = holdToWaitFor(this)
      if (hold === undefined) return original.apply(this, arguments as unknown as unknown[])
      const first = hold.endedWithStatus === undefined
      // A second end() is replayed after the first, where Node treats it as on any ended response.
      hold.hold({ kind: 'end', args: Array.from(arguments) }, this.statusCode)
      if (first && hold.phase === 'held') hold.endedWithStatus = this.statusCode
      return this
    },
  flushHeaders: (original) =>
    function flushHeaders(this: HeldResponse) {
      const hold = holdOf(this)
      if (hold === undefined || !hold.holding()) return original.apply(this, [])
      hold.hold({ kind: 'flushHeaders', args: [] }, this.statusCode)
      return undefined
    },
}

/**
 * Puts the wrappers on `prototype` (Express's per-app `response`, which every response of the
 * app inherits from), once. A response without a hold passes straight through them.
 */
function installOn(prototype: Record<string, unknown>): Readonly<Record<HeldKind, AnyFunction>> {
  const original = {} as Record<HeldKind, AnyFunction>
  for (const name of WRITE_METHODS) {
    original[name] = prototype[name] as AnyFunction
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value: WRAPPERS[name](original[name]),
    })
  }
  for (const name of HEADER_METHODS) {
    const below = prototype[name]
    if (typeof below !== 'function') continue
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value: function guardedHeaderMethod(this: HeldResponse) {
        if (holdOf(this)?.ended) throw headersSentError()
        return below.apply(this, arguments as unknown as unknown[])
      },
    })
  }
  // A response without a hold of its own then finds "none" one step up, not at the chain's end.
  Object.defineProperty(prototype, HOLD, { configurable: true, writable: true, value: undefined })
  Object.defineProperty(prototype, 'headersSent', {
    configurable: true,
    get(this: HeldResponse) {
      return holdOf(this)?.ended === true || headersSentOf.call(this)
    },
  })
  Object.defineProperty(prototype, 'writableEnded', {
    configurable: true,
    get(this: HeldResponse) {
      return holdOf(this)?.ended === true || writableEndedOf.call(this)
    },
  })
  belowWrappers.set(prototype, original)
  return original
}
/* biome-ignore-end lint/complexity/noArguments: see above */

/**
 * Holds a response's first write until `hooks.beforeHeaders` has finished (the session's store
 * write), the way express-session wraps `res.end`, but for every path that can flush headers:
 * `writeHead`, `write` (streams, `pipe`), `end` (`send`, `json`, `redirect`) and
 * `flushHeaders`. Held calls are replayed in order afterwards; `write` reports backpressure
 * while held and emits `'drain'` once released, so piped streams wait instead of buffering.
 * After a held `end()`, `headersSent` and `writableEnded` are true and header changes throw,
 * as on a plain Node response that has ended.
 *
 * The wrappers live on the app's response prototype (installed once), and the hold is kept in
 * `carrier`, the request's slot (request-slot.ts), so a request costs no property of its own;
 * middleware that wraps the same methods on the response, before or after, keeps working,
 * since the wrappers pass through once released.
 */
export function holdResponse(res: ServerResponse, hooks: ResponseHold, carrier: HoldCarrier): void {
  const response = res as HeldResponse
  const prototype = Object.getPrototypeOf(res) as Record<string, unknown>
  let original = belowWrappers.get(prototype)
  // Express gives each app its own response prototype. A bare Node response has only Node's,
  // which is not ours to change; and a response another middleware already wrapped may hold
  // the unwrapped methods: both get the wrappers as their own properties instead.
  if (
    prototype === (ServerResponse.prototype as unknown) ||
    prototype === outgoing ||
    hasOwnWriteMethod(res)
  ) {
    original = installOwn(response)
  } else if (original === undefined) {
    original = installOn(prototype)
  }
  const hold = new Hold(response, original, hooks)
  if (response.req?.[REQUEST_SLOT] === carrier) carrier[RESPONSE_HOLD] = hold
  else response[HOLD] = hold
}

function hasOwnWriteMethod(res: ServerResponse): boolean {
  for (const name of WRITE_METHODS) if (Object.hasOwn(res, name)) return true
  return false
}

/** Per prototype, the methods below the wrappers (what held calls are replayed through). */
const belowWrappers = new WeakMap<object, Readonly<Record<HeldKind, AnyFunction>>>()

/** The slow path: wrappers on the response itself, around what it has now. */
function installOwn(res: HeldResponse): Readonly<Record<HeldKind, AnyFunction>> {
  const target = res as unknown as Record<string, AnyFunction>
  const original = {} as Record<HeldKind, AnyFunction>
  for (const name of WRITE_METHODS) {
    original[name] = target[name] as AnyFunction
    target[name] = WRAPPERS[name](original[name])
  }
  return original
}
