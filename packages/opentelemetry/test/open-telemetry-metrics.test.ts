import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
import {
  createSessionEngine,
  MemoryStore,
  type ResponseHeaders,
  type Session,
  type SessionEngine,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { openTelemetryMetrics } from '../src/index.js'

const SECRET = 'opentelemetry-test-secret-that-is-long-enough-0123'

/** Collects on demand (what an exporter's reader does on its schedule). */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** Instrument name → data points, each as its attributes and value (a sum or a count). */
async function collected(reader: CollectingReader) {
  const { resourceMetrics } = await reader.collect()
  const byName: Record<string, Array<{ attributes: Record<string, unknown>; value: number }>> = {}
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      byName[metric.descriptor.name] = metric.dataPoints.map((point) => ({
        attributes: point.attributes,
        value:
          typeof point.value === 'number' ? point.value : (point.value as { count: number }).count,
      }))
    }
  }
  return byName
}

/** One request through the engine: the cookie the browser sends next. */
async function request<Data extends object>(
  engine: SessionEngine<Data>,
  cookie: string | undefined,
  route: (session: Session<Data>) => unknown,
): Promise<string | undefined> {
  const rs = engine.start({ cookie })
  await rs.load()
  await route(rs.session)
  const headers: ResponseHeaders = await rs.commit()
  const setCookie = headers.find(([name]) => name === 'set-cookie')?.[1]
  return setCookie ? setCookie.split(';')[0] : cookie
}

describe('openTelemetryMetrics', () => {
  it('records store latency by operation and outcome, failures, and session events', async () => {
    const reader = new CollectingReader()
    const provider = new MeterProvider({ readers: [reader] })
    const store = new MemoryStore()
    const engine = createSessionEngine({
      secret: SECRET,
      store,
      metrics: openTelemetryMetrics(provider.getMeter('test'), { attributes: { app: 'shop' } }),
    })
    const cookie = await request(engine, undefined, (s) => s.set('n', 1))
    await request(engine, cookie, (s) => s.get('n'))
    store.get = async () => {
      throw new Error('connection refused')
    }
    await expect(request(engine, cookie, (s) => s.get('n'))).rejects.toMatchObject({
      code: 'SESSION_STORE_FAILED',
    })
    const metrics = await collected(reader)
    const durations = metrics['tessera.store.duration'] ?? []
    expect(durations).toContainEqual({
      attributes: { app: 'shop', operation: 'get', outcome: 'ok' },
      value: 1,
    })
    expect(durations).toContainEqual({
      attributes: { app: 'shop', operation: 'set', outcome: 'ok' },
      value: 1,
    })
    expect(metrics['tessera.store.errors']).toEqual([
      {
        attributes: {
          app: 'shop',
          operation: 'get',
          outcome: 'error',
          code: 'SESSION_STORE_FAILED',
        },
        value: 1,
      },
    ])
    expect(metrics['tessera.session.events']).toEqual([
      { attributes: { app: 'shop', event: 'created' }, value: 1 },
    ])
    const everyAttribute = JSON.stringify(metrics)
    expect(everyAttribute, 'no session id or key in any attribute').not.toContain(
      (cookie ?? '').split('=')[1]?.split('.')[0] ?? 'never',
    )
    await provider.shutdown()
  })

  it('counts conflicts (replayed commits) by attempt', async () => {
    const reader = new CollectingReader()
    const provider = new MeterProvider({ readers: [reader] })
    const engine = createSessionEngine<{ cart: number[] }>({
      secret: SECRET,
      store: new MemoryStore(),
      metrics: openTelemetryMetrics(provider.getMeter('test'), { prefix: 'shop' }),
    })
    const cookie = await request(engine, undefined, (s) => s.set('cart', []))
    // Two requests read the same version; the second commit loses the race and is replayed.
    const a = engine.start({ cookie })
    const b = engine.start({ cookie })
    await Promise.all([a.load(), b.load()])
    a.session.update('cart', (cart) => [...(cart ?? []), 1])
    b.session.update('cart', (cart) => [...(cart ?? []), 2])
    await a.commit()
    await b.commit()
    const metrics = await collected(reader)
    expect(metrics['shop.session.conflicts']).toEqual([{ attributes: { attempt: 1 }, value: 1 }])
    expect(metrics['shop.session.events']).toContainEqual({
      attributes: { event: 'conflict' },
      value: 1,
    })
    await provider.shutdown()
  })
})
