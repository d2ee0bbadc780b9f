import type { StoredSession } from '@tessera/core'
import { randomKey } from '../random-ids.js'

/** How long a {@link storedRecord} lives unless its fields say otherwise: one hour. */
export const STORED_RECORD_TTL_MS = 60 * 60_000

/**
 * A record to hand a store directly, for store tests that bypass the engine: version 1, no
 * user, live for {@link STORED_RECORD_TTL_MS}, and a payload unique to this call (so a test
 * that reads back another record than it wrote fails). `fields` override any of these.
 *
 * @example
 * ```ts
 * import { MemoryStore } from '@tessera/core'
 * import { randomKey, storedRecord } from '@tessera/testkit'
 * import { expect, it } from 'vitest'
 *
 * it('a versioned write replaces the record', async () => {
 *   const store = new MemoryStore()
 *   const key = randomKey()
 *   expect(await store.set(key, storedRecord({ userId: 'ada' }), null)).toBe(true)
 *   expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(true)
 *   expect((await store.get(key))?.version).toBe(2)
 * })
 * ```
 */
export function storedRecord(fields: Partial<StoredSession> = {}): StoredSession {
  return {
    payload: JSON.stringify({ marker: randomKey() }),
    version: 1,
    expiresAt: Date.now() + STORED_RECORD_TTL_MS,
    userId: null,
    ...fields,
  }
}
