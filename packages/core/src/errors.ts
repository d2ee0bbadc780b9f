/**
 * Codes of the errors @tessera/core throws, so callers can branch without `instanceof`.
 * Other packages define their own codes (e.g. @tessera/kysely's `SESSION_TABLE_MISSING`)
 * and pass them to {@link TesseraError}.
 */
export type TesseraErrorCode =
  | 'SESSION_CONFIG_INVALID'
  | 'SESSION_STORE_FAILED'
  | 'SESSION_STORE_TIMEOUT'
  | 'SESSION_CONFLICT'
  | 'SESSION_TOO_LARGE'
  | 'SESSION_DATA_UNSERIALIZABLE'
  | 'SESSION_NOT_LOADED'
  | 'SESSION_UNAVAILABLE'
  | 'SESSION_GONE'
  | 'SESSION_LOCKED'
  | 'SESSION_NOT_FRESH'
  | 'SESSION_FEATURE_UNSUPPORTED'
  | 'CSRF_TOKEN_INVALID'
  | 'SESSION_MIDDLEWARE_MISSING'
  | 'FORM_BODY_TOO_LARGE'

/**
 * Base class of every Tessera error, in every package: a stable `code`, a message that says
 * what to do, and the HTTP `status` an adapter answers with.
 */
export class TesseraError<Code extends string = string> extends Error {
  readonly code: Code
  /** The HTTP status a framework adapter answers with when this error escapes a route. */
  readonly status: number
  /** Express's error handler reads `statusCode` (and `expose` decides whether the message shows). */
  get statusCode(): number {
    return this.status
  }
  readonly expose: boolean
  /**
   * The plain-text response this error answers with: the message when `expose`, else the
   * status text. Absent on a 500 (a bug to fix, which the framework should log, not answer
   * quietly). Hono's default error handler answers with it, as with its own `HTTPException`.
   */
  declare readonly getResponse?: () => Response

  constructor(code: Code, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.status = options.status ?? 500
    this.expose = this.status < 500
    if (this.status !== 500) {
      Object.defineProperty(this, 'getResponse', { configurable: true, value: plainResponse })
    }
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function plainResponse(this: TesseraError): Response {
  const body = this.expose ? this.message : (STATUS_TEXT[this.status] ?? 'Error')
  return new Response(body, {
    status: this.status,
    headers: { 'content-type': 'text/plain; charset=UTF-8' },
  })
}

/** An option is missing, malformed or breaks a rule. Thrown when the engine is created. */
export class SessionConfigError extends TesseraError<TesseraErrorCode> {
  readonly option: string
  constructor(option: string, message: string) {
    super('SESSION_CONFIG_INVALID', `Invalid session option \`${option}\`: ${message}`)
    this.option = option
  }
}

/** A store operation the engine performs, named in {@link SessionStoreError}. */
export type StoreOperation =
  | 'get'
  | 'set'
  | 'touch'
  | 'destroy'
  | 'listByUser'
  | 'destroyByUser'
  | 'prune'
  | 'lock'
  | 'unlock'
  | 'ready'

/**
 * The store failed or did not answer within `storeTimeout`: an outage (network, server down,
 * overloaded). Adapters turn it into a 503; the next request tries the store again, so the
 * app recovers when the store does. A store that is set up wrong throws a
 * {@link SessionStoreConfigError} instead, which is never wrapped in this one.
 */
export class SessionStoreError extends TesseraError<TesseraErrorCode> {
  readonly operation: StoreOperation
  readonly timedOut: boolean
  constructor(operation: StoreOperation, options: { cause?: unknown; timeoutMs?: number } = {}) {
    const timedOut = options.timeoutMs !== undefined
    super(
      timedOut ? 'SESSION_STORE_TIMEOUT' : 'SESSION_STORE_FAILED',
      `Session store ${operation} ${storeFailureReason(options)}. The store's server did not answer as it should; requests succeed again once it does.`,
      { status: 503, cause: options.cause },
    )
    this.operation = operation
    this.timedOut = timedOut
  }
}

/**
 * A store is set up wrong (a missing table, a client of the wrong kind, a wrong
 * configuration): waiting will not fix it, so it is not an outage. The engine lets it through
 * unwrapped, adapters answer 500, and the message says what to change. Stores extend it with
 * their own code, e.g. @tessera/kysely's `SessionTableMissingError`.
 */
export class SessionStoreConfigError<Code extends string = string> extends TesseraError<Code> {
  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { status: 500, cause: options.cause })
  }
}

/** A commit lost the version race more times than `maxCommitRetries` allows. */
export class SessionConflictError extends TesseraError<TesseraErrorCode> {
  readonly attempts: number
  constructor(attempts: number) {
    super(
      'SESSION_CONFLICT',
      `The session changed concurrently and the commit still conflicted after ${attempts} attempts. Raise \`maxCommitRetries\` or reduce concurrent writes to one session.`,
      { status: 503 },
    )
    this.attempts = attempts
  }
}

/** The serialized session is larger than `maxSize` (or than a cookie can carry). */
export class SessionTooLargeError extends TesseraError<TesseraErrorCode> {
  readonly size: number
  readonly limit: number
  constructor(size: number, limit: number, where = 'the `maxSize` option') {
    super(
      'SESSION_TOO_LARGE',
      `The session is ${size} bytes, over the limit of ${limit} bytes set by ${where}. Store less in the session, or keep large data elsewhere and put its id in the session.`,
    )
    this.size = size
    this.limit = limit
  }
}

/**
 * A session value cannot be serialized (a `BigInt`, a cycle, nesting too deep for the
 * serializer). Thrown when the session is saved; nothing is written, so the stored session
 * stays as it was.
 */
export class SessionDataError extends TesseraError<TesseraErrorCode> {
  /** The top-level key whose value failed, or null when no single key could be blamed. */
  readonly key: string | null
  constructor(key: string | null, cause: unknown) {
    super(
      'SESSION_DATA_UNSERIALIZABLE',
      `The session ${key === null ? 'data' : `value under "${key}"`} cannot be serialized (${describeCause(cause)}), so the session was not saved. Store JSON-compatible values (no BigInt, no cycles), or configure a \`serializer\` that handles them.`,
      { cause },
    )
    this.key = key
  }
}

/** Session data was read before the adapter loaded it. */
export class SessionNotLoadedError extends TesseraError<TesseraErrorCode> {
  constructor() {
    super(
      'SESSION_NOT_LOADED',
      'The session was used before it was loaded. Await `load()` on the request session (the framework adapters do this for you) before reading or writing data.',
    )
  }
}

/** The session can no longer be used in this request (it was destroyed or already committed). */
export class SessionUnavailableError extends TesseraError<TesseraErrorCode> {
  constructor(reason: string) {
    super('SESSION_UNAVAILABLE', reason)
  }
}

/**
 * `reload({ ifGone: 'throw' })` found no stored session (expired, revoked, or never saved):
 * the request's session is left as it was. express-session's `reload(cb)` reports this too.
 */
export class SessionGoneError extends TesseraError<TesseraErrorCode> {
  constructor() {
    super(
      'SESSION_GONE',
      'The session is no longer stored (it expired, was revoked, or was never saved), so it cannot be reloaded. Handle this error, e.g. by signing the user in again.',
      { status: 410 },
    )
  }
}

/**
 * `session.exclusive()` waited its `wait` time and another request still held the session's
 * lease. 423 Locked: the client may retry.
 */
export class SessionLockedError extends TesseraError<TesseraErrorCode> {
  readonly waitedMs: number
  constructor(waitedMs: number) {
    super(
      'SESSION_LOCKED',
      `Another request of this session is inside an exclusive section; waited ${waitedMs} ms. Retry, or raise \`exclusive.wait\`.`,
      { status: 423 },
    )
    this.waitedMs = waitedMs
  }
}

/**
 * A route behind `requireFresh()` was asked for by a session whose sign-in is older than the
 * route allows (or that is not signed in): ask for the password again, then call
 * `session.reauthenticated()`. 401 by default (or the status `requireFresh` was given).
 */
export class ReauthenticationRequiredError extends TesseraError<TesseraErrorCode> {
  readonly maxAgeMs: number
  constructor(maxAgeMs: number, status: 401 | 403 = 401) {
    super(
      'SESSION_NOT_FRESH',
      `This action needs a sign-in within the last ${Math.round(maxAgeMs / 1000)} s: ask for the password again, then call session.reauthenticated().`,
      { status },
    )
    this.maxAgeMs = maxAgeMs
  }
}

/** A feature needs a store capability the configured store lacks. */
export class SessionFeatureUnsupportedError extends TesseraError<TesseraErrorCode> {
  readonly feature: string
  constructor(feature: string, reason: string) {
    // 501 Not Implemented: the server is configured without what the route asked for.
    super('SESSION_FEATURE_UNSUPPORTED', `${feature} is unavailable: ${reason}`, { status: 501 })
    this.feature = feature
  }
}

/** An unsafe request came without the session's CSRF token, or with a wrong one. */
export class CsrfTokenError extends TesseraError<TesseraErrorCode> {
  constructor() {
    super(
      'CSRF_TOKEN_INVALID',
      'Missing or invalid CSRF token. Send the session token in the `x-csrf-token` header or the `_csrf` form field.',
      { status: 403 },
    )
  }
}

/**
 * How a store call went wrong, for an error message: `did not answer within 2000 ms` with a
 * `timeoutMs`, else `failed: <the cause, described>`.
 */
export function storeFailureReason(options: { cause?: unknown; timeoutMs?: number }): string {
  return options.timeoutMs !== undefined
    ? `did not answer within ${options.timeoutMs} ms`
    : `failed: ${describeCause(options.cause)}`
}

/**
 * A cause in one phrase for a message: its code and text without a closing period (the
 * message adds its own), and for connection errors the address that did not answer. Node
 * reports a failed connection to a name with several addresses (`localhost`) as an
 * `AggregateError` with an empty message: its inner errors say what happened.
 */
export function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0 && !cause.message) {
    return cause.errors.map(describeCause).join('; ')
  }
  if (!(cause instanceof Error)) return String(cause).replace(/\.+$/, '')
  const { code, address, port } = cause as { code?: unknown; address?: unknown; port?: unknown }
  let text = cause.message.replace(/\.+$/, '') || cause.name
  const where =
    typeof address === 'string' ? `${address}${typeof port === 'number' ? `:${port}` : ''}` : null
  if (where && !text.includes(where)) text += ` (${where})`
  if (typeof code === 'string' && !text.includes(code)) text = `${code}: ${text}`
  return text
}
