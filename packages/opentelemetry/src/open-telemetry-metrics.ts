import type { Attributes, Meter } from '@opentelemetry/api'
import type {
  SessionEventName,
  SessionEvents,
  SessionMetrics,
  StoreCallMetric,
} from '@tessera/core'
import type { OpenTelemetryMetricsOptions } from './open-telemetry-metrics-options.js'

/** The event detail that is safe and useful as an attribute (never a key or a user id). */
function reasonOf<E extends SessionEventName>(
  name: E,
  event: SessionEvents[E],
): string | undefined {
  if (name === 'destroyed' || name === 'expired' || name === 'invalid') {
    return (event as { reason?: string }).reason
  }
  return undefined
}

/**
 * Tessera's metrics as OpenTelemetry instruments, for the engine's `metrics` option:
 *
 * - `tessera.store.duration` (histogram, ms): every store call, by `operation` (`get` is a
 *   load, `set`/`touch` a commit, `destroy`, `listByUser`, `lock`, ...) and `outcome`
 *   (`ok`, `error`, `timeout`).
 * - `tessera.store.errors` (counter): failed store calls, by `operation`, `outcome` and `code`.
 * - `tessera.session.events` (counter): `created`, `regenerated`, `destroyed`, `expired`,
 *   `conflict` (a commit that lost a version race and was replayed: a retry) and `invalid`, by
 *   `event` and `reason` (why it was destroyed, expired or invalid).
 * - `tessera.session.conflicts` (counter): conflicts alone, by `attempt`.
 *
 * No attribute ever carries a session key, id or user id.
 */
export function openTelemetryMetrics(
  meter: Meter,
  options: OpenTelemetryMetricsOptions = {},
): SessionMetrics {
  const prefix = options.prefix ?? 'tessera'
  const base: Attributes = options.attributes ?? {}
  const duration = meter.createHistogram(`${prefix}.store.duration`, {
    description: 'Duration of Tessera store calls',
    unit: 'ms',
  })
  const errors = meter.createCounter(`${prefix}.store.errors`, {
    description: 'Tessera store calls that failed or timed out',
  })
  const events = meter.createCounter(`${prefix}.session.events`, {
    description:
      'Tessera session events: created, regenerated, destroyed, expired, conflict, invalid',
  })
  const conflicts = meter.createCounter(`${prefix}.session.conflicts`, {
    description: 'Commits that lost a version race and were replayed',
  })
  return {
    storeCall({ operation, durationMs, outcome, code }: StoreCallMetric) {
      duration.record(durationMs, { ...base, operation, outcome })
      if (outcome !== 'ok')
        errors.add(1, { ...base, operation, outcome, ...(code ? { code } : {}) })
    },
    event(name, event) {
      const reason = reasonOf(name, event)
      events.add(1, { ...base, event: name, ...(reason ? { reason } : {}) })
      if (name === 'conflict') {
        conflicts.add(1, { ...base, attempt: (event as SessionEvents['conflict']).attempt })
      }
    },
  }
}
