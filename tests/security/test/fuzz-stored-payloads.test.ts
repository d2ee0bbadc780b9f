import type { SessionStore } from '@tessera/core'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { ADAPTERS } from '../src/adapters.js'
import { BulkClient } from '../src/bulk-client.js'
import { hostilePayload } from '../src/fuzz-arbitraries.js'
import { PrototypeGuard, watchCrashes } from '../src/prototype-guard.js'
import { COOKIE_NAME, parseSetCookie, SUITE_SECRET, storeKeyOf } from '../src/session-cookies.js'
import { openStoreFixtures } from '../src/store-fixtures.js'

// Corrupt and hostile payloads written straight into each server store under the key of a
// real session (what a corrupted disk, a bad migration or an attacker with store access
// leaves behind), then read and written over HTTP on every adapter: never a 5xx, never a
// crash, Object.prototype untouched.

const PAYLOADS_PER_COMBINATION = 250
const fixtures = await openStoreFixtures(['memory', 'redis', 'sqlite'])
afterAll(() => fixtures.release())
const totals: string[] = []
afterAll(() => console.info(`hostile stored payloads: ${totals.join('; ')}`))

for (const adapter of ADAPTERS) {
  for (const fixture of fixtures.all) {
    describe(`hostile stored payloads: ${adapter.name} on ${fixture.label} [ASVS 4.0 V5.5.3; ASVS 5.0 V1.5.2, V15.3.6]`, () => {
      it(`${PAYLOADS_PER_COMBINATION} corrupt or hostile payloads under a valid key: no 5xx, no crash, Object.prototype untouched`, async () => {
        const guard = new PrototypeGuard()
        const crashes = watchCrashes()
        const store = fixture.create() as SessionStore
        const app = await adapter.start({
          secret: SUITE_SECRET,
          store,
          cookie: { secure: false },
        })
        const client = new BulkClient(app.port, 2)
        try {
          const created = await client.request('POST', '/set?key=a&value=1')
          const value = BulkClient.setCookies(created)
            .map(parseSetCookie)
            .find((cookie) => cookie.name === COOKIE_NAME)?.value
          if (!value) throw new Error('no session to corrupt')
          const key = storeKeyOf(value)
          const cookie = `${COOKIE_NAME}=${value}`
          const statuses = new Map<number, number>()
          let cases = 0
          await fc.assert(
            fc.asyncProperty(hostilePayload, async (payload) => {
              cases++
              await store.destroy(key)
              const written = await store.set(
                key,
                { payload, version: 1, expiresAt: Date.now() + 60_000, userId: null },
                null,
              )
              expect(written).toBe(true)
              const read = await client.request('GET', '/keys', { cookie })
              const write = await client.request('POST', '/set?key=b&value=2', { cookie })
              for (const { status } of [read, write]) {
                statuses.set(status, (statuses.get(status) ?? 0) + 1)
              }
              return (
                read.status < 500 &&
                write.status < 500 &&
                guard.changes().length === 0 &&
                ({} as Record<string, unknown>).polluted === undefined
              )
            }),
            { numRuns: PAYLOADS_PER_COMBINATION },
          )
          expect(cases).toBeGreaterThanOrEqual(PAYLOADS_PER_COMBINATION)
          expect(crashes.crashes).toEqual([])
          expect(guard.changes()).toEqual([])
          expect((await client.request('GET', '/noop')).status).toBe(200)
          const summary = [...statuses].map(([status, n]) => `${status}: ${n}`).join(', ')
          totals.push(`${adapter.id}/${fixture.kind} ${cases} payloads (${summary})`)
        } finally {
          crashes.stop()
          client.close()
          await app.close()
        }
      })
    })
  }
}
