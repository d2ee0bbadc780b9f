import { metrics } from '@opentelemetry/api'
import { createSessionEngine, MemoryStore } from '@tessera/core'
// #region usage
import { openTelemetryMetrics } from '@tessera/opentelemetry'

const engine = createSessionEngine({
  secret: process.env.SESSION_SECRET ?? 'a-development-secret-of-32-characters',
  store: new MemoryStore(),
  metrics: openTelemetryMetrics(metrics.getMeter('my-app'), { attributes: { app: 'shop' } }),
})

// #endregion usage

export { engine }
