// MemoryStore, bounded and swept (the MemoryStore page of the site).
// #region memory-store
import { createSessionEngine, MemoryStore } from '@tessera/core'

// At most 50 000 sessions (the least recently used go first), expired ones swept every 30 s.
const store = new MemoryStore({ maxEntries: 50_000, sweepInterval: '30s' })
const engine = createSessionEngine({ secret: process.env.SESSION_SECRET!, store })

// On shutdown, stop the sweep timer: await store.close()
// #endregion memory-store

export { engine, store }
