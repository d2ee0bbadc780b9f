import type { Attributes } from '@opentelemetry/api'

/**
 * Options of {@link openTelemetryMetrics}.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api'
 * import { openTelemetryMetrics } from '@tessera/opentelemetry'
 *
 * app.use(
 *   session({
 *     secret: process.env.SESSION_SECRET!,
 *     metrics: openTelemetryMetrics(metrics.getMeter('my-app'), { attributes: { app: 'shop' } }),
 *   }),
 * )
 * ```
 */
export interface OpenTelemetryMetricsOptions {
  /** Prefix of every instrument name. Default `'tessera'`. */
  prefix?: string
  /** Attributes added to every measurement (e.g. the app or store name). */
  attributes?: Attributes
}
