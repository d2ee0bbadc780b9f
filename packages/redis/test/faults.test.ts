import { SessionStoreError } from '@tessera/core'
import {
  type RedisServerHandle,
  redisServerInstalled,
  skipOrFail,
  startRedisServer,
} from '@tessera/test-support'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStore, type RedisStoreOptions } from '../src/index.js'
import { startExpressApp } from './express-app.js'
import { browser } from './http-app.js'

// Kills the redis-server of an Express app (@tessera/express) mid-traffic and starts it again: while it is down requests get
// 503 within the store timeout (no hang, no crash, no unhandled rejection); once it is back,
// the same app serves them again, sessions intact (append-only file, fsync always).
const installed = redisServerInstalled()
if (!installed) {
  skipOrFail('Redis fault', 'redis-server is not installed: cannot run the fault tests')
}

const STORE_TIMEOUT_MS = 500
const CLIENTS = 8

interface Sample {
  at: number
  status: number | 'error'
  ms: number
}

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

describe.skipIf(!installed)('Redis goes away mid-traffic and comes back', () => {
  let server: RedisServerHandle

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    server = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] })
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await server?.stop()
  })

  const scenarios: Array<[string, RedisOptions, Omit<RedisStoreOptions, 'client'>]> = [
    ['recommended client options', { maxRetriesPerRequest: 1, enableAutoPipelining: true }, {}],
    ['ioredis defaults', {}, {}],
    // Worst case: ioredis would queue forever; only the engine's storeTimeout bounds the wait.
    ['queue forever, failFast off', { maxRetriesPerRequest: null }, { failFast: false }],
  ]

  for (const [label, clientOptions, storeOptions] of scenarios) {
    it(`${label}: 503 within the store timeout while down, 200 again after`, {
      timeout: 30_000,
    }, async () => {
      const client = new Redis(server.url, { ...clientOptions, retryStrategy: () => 100 })
      const clientErrors: Error[] = []
      client.on('error', (error: Error) => clientErrors.push(error))
      const app = await startExpressApp({
        store: new RedisStore({ client, prefix: 'faults:', ...storeOptions }),
        storeTimeout: STORE_TIMEOUT_MS,
      })
      const samples: Sample[] = []
      const t0 = Date.now()
      let running = true
      try {
        const users = Array.from({ length: CLIENTS }, () => browser(app.url, 5_000))
        for (const user of users) expect((await user.request('POST', '/inc')).status).toBe(200)

        const loops = users.map(async (user, i) => {
          while (running) {
            const started = Date.now()
            const method = i % 2 === 0 ? 'POST' : 'GET'
            const path = method === 'POST' ? '/inc' : '/count'
            const result = await user.request(method, path).catch(() => null)
            samples.push({
              at: started - t0,
              status: result?.status ?? 'error',
              ms: Date.now() - started,
            })
            await new Promise((r) => setTimeout(r, 10))
          }
        })

        await new Promise((r) => setTimeout(r, 500))
        const killedAt = Date.now() - t0
        await server.kill()
        await new Promise((r) => setTimeout(r, 2_000))
        const restartedAt = Date.now() - t0
        await server.start()
        // Give ioredis its reconnect (retry every 100 ms), then require full recovery.
        const deadline = Date.now() + 5_000
        let recoveredAt = -1
        while (Date.now() < deadline) {
          const recent = samples.filter((s) => s.at > Date.now() - t0 - 300)
          if (recent.length >= CLIENTS && recent.every((s) => s.status === 200)) {
            recoveredAt = Date.now() - t0
            break
          }
          await new Promise((r) => setTimeout(r, 50))
        }
        await new Promise((r) => setTimeout(r, 300))
        running = false
        await Promise.all(loops)

        const during = samples.filter((s) => s.at > killedAt + 50 && s.at + s.ms < restartedAt)
        const failures = samples.filter((s) => s.status !== 200)
        const firstOk = samples.find((s) => s.at >= restartedAt && s.status === 200)
        const summary = {
          requests: samples.length,
          during: during.length,
          statuses: [...new Set(samples.map((s) => s.status))],
          maxFailureMs: Math.max(0, ...failures.map((s) => s.ms)),
          maxMsWhileDown: Math.max(0, ...during.map((s) => s.ms)),
          firstOkAfterRestartMs: firstOk ? firstOk.at + firstOk.ms - restartedAt : null,
          fullRecoveryAfterRestartMs: recoveredAt < 0 ? null : recoveredAt - restartedAt,
        }
        console.info(`faults (${label}):`, summary)

        expect(during.length, 'requests were made while Redis was down').toBeGreaterThan(CLIENTS)
        for (const s of during) expect(s.status).toBe(503)
        for (const s of samples) expect([200, 503]).toContain(s.status)
        expect(summary.maxFailureMs).toBeLessThan(STORE_TIMEOUT_MS + 500)
        expect(
          recoveredAt,
          'every client succeeds again without restarting the app',
        ).toBeGreaterThan(0)
        // The data survived (AOF), and the same cookie still works.
        const counts = await Promise.all(users.map((user) => user.request('GET', '/count')))
        for (const count of counts) {
          expect(count.status).toBe(200)
          expect(Number(count.body)).toBeGreaterThanOrEqual(1)
        }
        expect(unhandled).toEqual([])
        // Every failure was the typed store error, never anything else.
        expect(app.errors.length).toBeGreaterThan(0)
        for (const error of app.errors) {
          expect(error).toBeInstanceOf(SessionStoreError)
          expect((error as SessionStoreError).status).toBe(503)
        }
        expect(app.server.listening).toBe(true)
      } finally {
        running = false
        await app.close()
        client.disconnect()
      }
    })
  }
})
