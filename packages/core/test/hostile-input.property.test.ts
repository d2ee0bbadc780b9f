import { readCookieValues } from '@tessera/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countingStore, exchange, testEngine } from './helpers.js'

/**
 * Whatever a client sends as a cookie or an id header, the engine neither throws nor
 * verifies it: random bytes, truncations and single-character tampering of a real signed
 * value, oversized values, and non-ASCII text.
 */
describe('hostile cookie and header values never throw and never verify', async () => {
  const { store, calls, reset } = countingStore()
  const engine = testEngine({ store })
  const headerEngine = testEngine({ store, idFrom: { header: 'x-session-id' } })
  const real = await exchange(engine, undefined, (s) => s.set('views', 1))
  const realValue = (real.cookie as string).split('=')[1] as string

  const mutations = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.string({ unit: 'grapheme', maxLength: 120 }),
    fc.nat({ max: realValue.length - 1 }).map((n) => realValue.slice(0, n)),
    fc
      .tuple(fc.nat({ max: realValue.length - 1 }), fc.constantFrom(...'ABCxyz019-_.~é'))
      .filter(([i, c]) => realValue[i] !== c)
      .map(([i, c]) => `${realValue.slice(0, i)}${c}${realValue.slice(i + 1)}`),
    fc
      .integer({ min: 4097, max: 100_000 })
      .map((n) => realValue.repeat(Math.ceil(n / realValue.length)).slice(0, n)),
    fc
      .string({ maxLength: 300 })
      .map((tail) => `${realValue}${tail}`)
      .filter((v) => (v.split(';')[0] as string).trim() !== realValue),
  )

  it('as the cookie value', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, fc.string({ maxLength: 40 }), async (value, prefix) => {
        reset()
        let isNew = false
        const res = await exchange(engine, `${prefix}; tessera.sid=${value}`, (s) => {
          isNew = s.isNew
        })
        expect(isNew).toBe(true)
        expect(calls.get ?? 0).toBe(0)
        expect(
          res.headers.every(([name]) => ['vary', 'set-cookie', 'cache-control'].includes(name)),
        ).toBe(true)
      }),
      { numRuns: 400 },
    )
  })

  it('as the whole Cookie header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 500 }), async (header) => {
        let isNew = false
        await exchange(engine, header, (s) => {
          isNew = s.isNew
        })
        expect(isNew).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('as the id header', async () => {
    await fc.assert(
      fc.asyncProperty(mutations, async (value) => {
        reset()
        let isNew = false
        await exchange(
          headerEngine,
          undefined,
          (s) => {
            isNew = s.isNew
          },
          { headers: { 'x-session-id': value } },
        )
        expect(isNew).toBe(true)
        expect(calls.get ?? 0).toBe(0)
      }),
      { numRuns: 300 },
    )
  })

  it('the cookie parser never throws and finds only exact names', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ maxLength: 20 }),
        (header, name) => {
          const values = readCookieValues(header, name || 'x')
          expect(Array.isArray(values)).toBe(true)
          expect(values.length).toBeLessThanOrEqual(4)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('the untouched real value still verifies (the properties are not vacuous)', async () => {
    reset()
    await exchange(engine, real.cookie, (s) => expect(s.get('views')).toBe(1))
    expect(calls.get).toBe(1)
  })
})
