import type { StoreOperation } from '../errors.js'
import type { SessionEventName, SessionEvents } from './session-events.js'

/** How a store call ended: answered, failed, or not within `storeTimeout`. */
export type StoreCallOutcome = 'ok' | 'error' | 'timeout'

/** One store call, as {@link SessionMetrics.storeCall} receives it. */
export interface StoreCallMetric {
  operation: StoreOperation
  durationMs: number
  outcome: StoreCallOutcome
  /** The error's `code` when it failed (`SESSION_STORE_FAILED`, a store's config code, ...). */
  code?: string
}

/**
 * A metrics sink: the engine reports every store call (operation, latency, outcome) and every
 * session event (created, regenerated, destroyed, expired, conflict — each conflict is a
 * retry of a commit —, invalid). Loads and commits are the `get` and `set`/`touch` store calls.
 * `@tessera/opentelemetry` turns this into OpenTelemetry counters and histograms. A sink that
 * throws is ignored: metrics never fail a request.
 *
 * @example
 * ```ts
 * const engine = createSessionEngine({
 *   secret,
 *   metrics: {
 *     storeCall: ({ operation, durationMs, outcome }) =>
 *       histogram.record(durationMs, { operation, outcome }),
 *     event: (name) => counter.add(1, { event: name }),
 *   },
 * })
 * ```
 */
export interface SessionMetrics {
  storeCall?(metric: StoreCallMetric): void
  event?<E extends SessionEventName>(name: E, event: SessionEvents[E]): void
}
