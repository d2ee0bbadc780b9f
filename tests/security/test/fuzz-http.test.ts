import { CookieStore, MemoryStore, type SessionOptions } from '@tessera/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADAPTERS } from '../src/adapters.js'
import { BulkClient } from '../src/bulk-client.js'
import { cookieHeader, sessionValue } from '../src/fuzz-arbitraries.js'
import { PrototypeGuard, watchCrashes } from '../src/prototype-guard.js'
import type { SecurityApp } from '../src/security-app.js'
import { COOKIE_NAME, parseSetCookie, SUITE_SECRET } from '../src/session-cookies.js'

// Random Cookie and id-header values over real HTTP on every adapter: never a 5xx, never a
// crash, Object.prototype untouched. Requests go out in batches of BATCH over keep-alive
// sockets; each fast-check run is one batch, so a failure shrinks to the value that broke.

const BATCH = 50
const COOKIE_VALUES = 20_000
const SEALED_COOKIE_VALUES = 5_000
const HEADER_VALUES = 5_000
const ID_HEADER = 'x-session-id'
const base: SessionOptions = { secret: SUITE_SECRET, cookie: { secure: false } }

interface FuzzTarget {
  app: SecurityApp
  client: BulkClient
  /** A real session's cookie or header value, for the mutating arbitraries. */
  valid: string
}

async function target(
  start: (options: SessionOptions) => Promise<SecurityApp>,
  options: SessionOptions,
  header: string | null,
): Promise<FuzzTarget> {
  const app = await start(options)
  const client = new BulkClient(app.port, 8)
  const created = await client.request('POST', '/set?key=a&value=1')
  const valid = header
    ? String(created.headers[header] ?? '')
    : (BulkClient.setCookies(created)
        .map(parseSetCookie)
        .find((cookie) => cookie.name === COOKIE_NAME)?.value ?? '')
  if (!valid) throw new Error('could not create the session the fuzzer mutates')
  return { app, client, valid }
}

/**
 * Sends `total` values from `values` (as a Cookie header, or as `header`), alternating
 * reads and writes; returns how many were sent. Fails on the first batch with a 5xx.
 */
async function fuzz(
  t: FuzzTarget,
  values: fc.Arbitrary<string>,
  total: number,
  header: string | null,
): Promise<{ sent: number; statuses: Map<number, number> }> {
  let sent = 0
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(values, fc.boolean()), { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        const responses = await Promise.all(
          batch.map(([value, write]) =>
            t.client.request(write ? 'POST' : 'GET', write ? '/set?key=f&value=1' : '/read', {
              [header ?? 'cookie']: value,
            }),
          ),
        )
        sent += batch.length
        for (const { status } of responses) statuses.set(status, (statuses.get(status) ?? 0) + 1)
        return responses.every((response) => response.status < 500)
      },
    ),
    { numRuns: Math.ceil(total / BATCH), endOnFailure: false },
  )
  return { sent, statuses }
}

for (const adapter of ADAPTERS) {
  describe(`fuzzing over HTTP: ${adapter.name} [OWASP SM: Manage Session ID as Any Other User Input; ASVS 4.0 V5.1.3; ASVS 5.0 V15.3.6]`, () => {
    const guard = new PrototypeGuard()
    const crashes = watchCrashes()
    const targets: FuzzTarget[] = []
    const counts: string[] = []
    afterAll(async () => {
      crashes.stop()
      for (const t of targets) {
        t.client.close()
        await t.app.close()
      }
      console.info(`fuzz ${adapter.name}: ${counts.join('; ')}`)
    })
    beforeAll(() => {
      expect(guard.changes()).toEqual([])
    })

    const expectUnharmed = async (t: FuzzTarget) => {
      expect(crashes.crashes, 'no uncaught exception or unhandled rejection').toEqual([])
      expect(guard.changes(), 'Object.prototype untouched').toEqual([])
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect((await t.client.request('GET', '/noop')).status, 'the server still answers').toBe(200)
    }

    it(`${COOKIE_VALUES} random Cookie values, server store: no 5xx, no crash`, async () => {
      const t = await target(adapter.start, { ...base, store: new MemoryStore() }, null)
      targets.push(t)
      const { sent, statuses } = await fuzz(t, cookieHeader(t.valid), COOKIE_VALUES, null)
      expect(sent).toBeGreaterThanOrEqual(COOKIE_VALUES)
      counts.push(`${sent} Cookie values (MemoryStore) ${describeStatuses(statuses)}`)
      await expectUnharmed(t)
    })

    it(`${SEALED_COOKIE_VALUES} random Cookie values, CookieStore: no 5xx, no crash`, async () => {
      const t = await target(adapter.start, { ...base, store: new CookieStore() }, null)
      targets.push(t)
      const { sent, statuses } = await fuzz(t, cookieHeader(t.valid), SEALED_COOKIE_VALUES, null)
      expect(sent).toBeGreaterThanOrEqual(SEALED_COOKIE_VALUES)
      counts.push(`${sent} Cookie values (CookieStore) ${describeStatuses(statuses)}`)
      await expectUnharmed(t)
    })

    it(`${HEADER_VALUES} random id-header values: no 5xx, no crash`, async () => {
      const t = await target(
        adapter.start,
        { ...base, store: new MemoryStore(), idFrom: { header: ID_HEADER } },
        ID_HEADER,
      )
      targets.push(t)
      const { sent, statuses } = await fuzz(t, sessionValue(t.valid), HEADER_VALUES, ID_HEADER)
      expect(sent).toBeGreaterThanOrEqual(HEADER_VALUES)
      counts.push(`${sent} ${ID_HEADER} values ${describeStatuses(statuses)}`)
      await expectUnharmed(t)
    })
  })
}

function describeStatuses(statuses: Map<number, number>): string {
  return `(${[...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}: ${n}`)
    .join(', ')})`
}
