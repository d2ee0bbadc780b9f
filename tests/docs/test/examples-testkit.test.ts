import { createSessionEngine } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import '../../../examples/testkit/map-store.conformance.js'
import '../../../examples/testkit/my-server-store/test/my-store.test.js'
import '../../../examples/testkit/my-store/test/my-store.test.js'
import {
  countingStore,
  exchange,
  manualClock,
  storedRecord,
} from '../../../examples/testkit/signatures.js'

// The testkit README's examples: the imports above register the conformance suite three times
// (MapStore, and the two MyStore examples), so each README example runs the whole contract.
// signatures.ts type-checks the README's signatures against the real ones (examples-typecheck);
// here they run.

describe('examples/testkit/signatures.ts', () => {
  it('the README signatures call the real helpers', async () => {
    const clock = manualClock(1_000)
    clock.advance(500)
    expect(clock.now()).toBe(1_500)
    const counting = countingStore()
    const engine = createSessionEngine({
      secret: process.env.SESSION_SECRET!,
      store: counting.store,
    })
    const first = await exchange(engine, undefined, (session) => session.set('n', 1))
    expect(first.setCookie).toMatch(/^tessera\.sid=/)
    expect(counting.calls.set).toBe(1)
    expect(storedRecord({ version: 7 }).version).toBe(7)
  })
})
