import {
  MemoryStore,
  SessionConfigError,
  type SessionOptions,
  type StoreCallMetric,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { exchange, testEngine } from './helpers.js'

describe('metrics', () => {
  it('reports every store call with its latency and outcome, and every session event', async () => {
    const calls: StoreCallMetric[] = []
    const events: string[] = []
    const store = new MemoryStore()
    const engine = testEngine({
      store,
      metrics: { storeCall: (metric) => calls.push(metric), event: (name) => events.push(name) },
    })
    const first = await exchange(engine, undefined, (s) => s.set('n', 1))
    await exchange(engine, first.cookie, (s) => s.get('n'))
    await exchange(engine, first.cookie, (s) => s.destroy())
    expect(calls.map((call) => `${call.operation}:${call.outcome}`)).toEqual([
      'set:ok',
      'get:ok',
      'get:ok',
      'destroy:ok',
    ])
    for (const call of calls) expect(call.durationMs).toBeGreaterThanOrEqual(0)
    expect(events).toEqual(['created', 'destroyed'])
  })

  it('reports failures with their code, and a sink that throws never fails a request', async () => {
    const calls: StoreCallMetric[] = []
    const broken = new MemoryStore()
    broken.get = async () => {
      throw new Error('connection refused')
    }
    const engine = testEngine({
      store: broken,
      metrics: {
        storeCall: (metric) => {
          calls.push(metric)
          throw new Error('a broken exporter')
        },
        event: () => {
          throw new Error('a broken exporter')
        },
      },
    })
    const first = await exchange(engine, undefined, (s) => s.set('n', 1))
    expect(first.setCookie).toBeDefined()
    await expect(exchange(engine, first.cookie, (s) => s.get('n'))).rejects.toMatchObject({
      code: 'SESSION_STORE_FAILED',
    })
    expect(calls.at(-1)).toMatchObject({
      operation: 'get',
      outcome: 'error',
      code: 'SESSION_STORE_FAILED',
    })
  })

  it('refuses a sink that is not one, at start-up', () => {
    expect(() =>
      testEngine({ metrics: { storeCall: 1 } } as unknown as Partial<SessionOptions>),
    ).toThrow(SessionConfigError)
  })
})
