// The README's quick example, verbatim between the region markers (readme.test.ts checks the
// README against it and runs it).
// #region readme
import { createSessionEngine } from '@tessera/core'
import { FileStore } from '@tessera/file'

const store = new FileStore({
  dir: process.env.SESSIONS_DIR ?? './sessions', // created 0700 on the first write
  pruneInterval: '10m', // deletes expired sessions; the timer never keeps the process alive
})

const secret = process.env.SESSION_SECRET
if (!secret) throw new Error('Set SESSION_SECRET to 32 or more random characters.')
const engine = createSessionEngine({ secret, store })

// With Express, Koa or Hono, pass the same `store` to the adapter's `session({ ... })`.
// At shutdown, `await store.close()` stops the prune timer.
// #endregion readme

export { engine, store }
