import { SealedCookieBackend } from '../backends/sealed-cookie-backend.js'
import { ServerBackend } from '../backends/server-backend.js'
import type { SessionBackend } from '../backends/session-backend.js'
import { SessionConfigError, type StoreOperation } from '../errors.js'
import {
  type ResolvedSessionOptions,
  resolveSessionOptions,
} from '../options/resolved-session-options.js'
import type { SessionOptions } from '../options/session-options.js'
import type { IncomingRequestInfo, RequestSession } from '../request/request-session.js'
import { RequestSessionState } from '../request/request-session-state.js'
import type { ActiveSession, SessionData } from '../session/session.js'
import type { EngineContext } from './engine-context.js'
import { SessionEventEmitter } from './event-emitter.js'
import { ExclusiveSections } from './exclusive-sections.js'
import { ExpiryPolicy } from './expiry.js'
import type { SessionEventListener, SessionEventName, SessionEvents } from './session-events.js'
import type { SessionMetrics, StoreCallMetric } from './session-metrics.js'
import { PayloadCodec } from './session-payload.js'
import { SignedIds } from './signed-id.js'
import { StoreCalls } from './store-call.js'
import { UserSessions } from './user-sessions.js'

/**
 * The framework-agnostic session engine. Adapters call {@link SessionEngine.start} per
 * request; apps use the rest for administration ("active sessions", revocation).
 */
export interface SessionEngine<Data extends object = SessionData> {
  readonly options: Readonly<ResolvedSessionOptions>
  /** Begins one request's session. Does no I/O; see {@link RequestSession}. */
  start(request: IncomingRequestInfo): RequestSession<Data>
  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void
  /** A user's live sessions, least recently used first. Needs a store with `listByUser`. */
  listUserSessions(userId: string, currentHandle?: string | null): Promise<ActiveSession[]>
  /** Revokes one session of `userId` by handle; false when it is not one of theirs. */
  revokeSession(userId: string, handle: string): Promise<boolean>
  /** Revokes all of a user's sessions, optionally but one; returns how many. */
  revokeUserSessions(userId: string, options?: { exceptHandle?: string | null }): Promise<number>
  /**
   * Resolves once the store has checked itself (`store.ready()`, when it has one): a missing
   * table or a wrong client fails here with a `SessionStoreConfigError` saying what to fix, an
   * unreachable server with a `SessionStoreError`. Await it at start-up to fail the app's
   * start instead of its first request; the adapters call it before their first request. A
   * success is remembered; a failure is retried by the next call.
   */
  ready(): Promise<void>
  /** Stops the store's own timers (it never closes a client you passed in). */
  close(): Promise<void>
}

/**
 * Creates the engine. Options are validated here: a mistake fails at start-up with a
 * {@link SessionConfigError} that names the option and says what to fix.
 */
export function createSessionEngine<Data extends object = SessionData>(
  options: SessionOptions,
): SessionEngine<Data> {
  return new TesseraEngine<Data>(resolveSessionOptions(options), options.on, options.metrics)
}

/** The engine: the services every request's session uses, and the administration API. */
class TesseraEngine<Data extends object> implements SessionEngine<Data>, EngineContext {
  readonly codec: PayloadCodec
  readonly ids: SignedIds
  readonly expiry: ExpiryPolicy
  readonly users: UserSessions
  readonly sections: ExclusiveSections
  private readonly events = new SessionEventEmitter()
  private readonly metrics: SessionMetrics | undefined
  private readonly calls: StoreCalls
  /** Where sessions live: a server store behind signed ids, or sealed in the cookie. */
  private readonly backend: SessionBackend

  constructor(
    readonly options: ResolvedSessionOptions,
    listeners?: SessionOptions['on'],
    metrics?: SessionOptions['metrics'],
  ) {
    this.calls = new StoreCalls(options.storeTimeoutMs)
    this.metrics = metricsOption(metrics)
    this.codec = new PayloadCodec(options.serializer, options.crypto, options.encryptionKeys)
    this.ids = new SignedIds(options.secrets, options.crypto)
    this.expiry = new ExpiryPolicy(
      {
        idleTimeoutMs: options.idleTimeoutMs,
        absoluteTimeoutMs: options.absoluteTimeoutMs,
        persistent: options.cookie.persistent,
      },
      options.touchIntervalMs,
      options.now,
    )
    this.users = new UserSessions(
      options,
      this.codec,
      (operation, run) => this.storeCall(operation, run),
      (event, payload) => this.emit(event, payload),
    )
    this.sections = new ExclusiveSections(options, (operation, run) =>
      this.storeCall(operation, run),
    )
    this.backend =
      options.cookieSealKeys === null
        ? new ServerBackend(this)
        : new SealedCookieBackend(this, options.cookieSealKeys)
    for (const [name, listener] of Object.entries(listeners ?? {})) {
      if (typeof listener === 'function') {
        this.events.on(name as SessionEventName, listener as SessionEventListener<SessionEventName>)
      }
    }
  }

  start(request: IncomingRequestInfo): RequestSession<Data> {
    return new RequestSessionState<Data>(this, this.backend, request)
  }

  on<E extends SessionEventName>(event: E, listener: SessionEventListener<E>): () => void {
    return this.events.on(event, listener)
  }

  emit<E extends SessionEventName>(event: E, payload: SessionEvents[E]): void {
    this.events.emit(event, payload)
    if (this.metrics?.event) report(() => this.metrics?.event?.(event, payload))
  }

  storeCall<T>(operation: StoreOperation, run: () => Promise<T>): Promise<T> {
    const sink = this.metrics?.storeCall
    if (!sink) return this.calls.run(operation, run)
    const started = performance.now()
    const done = (outcome: StoreCallMetric['outcome'], code?: string) => {
      const durationMs = performance.now() - started
      report(() =>
        sink.call(this.metrics, { operation, durationMs, outcome, ...(code ? { code } : {}) }),
      )
    }
    return this.calls.run(operation, run).then(
      (value) => {
        done('ok')
        return value
      },
      (error: unknown) => {
        const code = (error as { code?: string } | null)?.code
        done(code === 'SESSION_STORE_TIMEOUT' ? 'timeout' : 'error', code)
        throw error
      },
    )
  }

  listUserSessions(userId: string, currentHandle: string | null = null): Promise<ActiveSession[]> {
    return this.users.list(userId, currentHandle)
  }

  revokeSession(userId: string, handle: string): Promise<boolean> {
    return this.users.revoke(userId, handle)
  }

  revokeUserSessions(
    userId: string,
    options: { exceptHandle?: string | null } = {},
  ): Promise<number> {
    return this.users.revokeAll(userId, options.exceptHandle ?? null)
  }

  private readiness: Promise<void> | null = null

  ready(): Promise<void> {
    if (!this.readiness) {
      const store = this.options.store
      const check = store.ready
      const pending =
        typeof check === 'function' && this.options.cookieSealKeys === null
          ? this.storeCall('ready', () => check.call(store))
          : Promise.resolve()
      this.readiness = pending.catch((error: unknown) => {
        this.readiness = null
        throw error
      })
    }
    return this.readiness
  }

  async close(): Promise<void> {
    await this.options.store.close?.()
  }
}

/** A metrics sink's failure never reaches a request. */
function report(record: () => void): void {
  try {
    record()
  } catch {
    // ignored: see SessionMetrics
  }
}

function metricsOption(metrics: SessionOptions['metrics']): SessionMetrics | undefined {
  if (metrics === undefined) return undefined
  const valid =
    typeof metrics === 'object' &&
    metrics !== null &&
    (metrics.storeCall === undefined || typeof metrics.storeCall === 'function') &&
    (metrics.event === undefined || typeof metrics.event === 'function')
  if (!valid) {
    throw new SessionConfigError('metrics', 'expected { storeCall?(metric), event?(name, event) }.')
  }
  return metrics
}
