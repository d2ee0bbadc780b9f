// The README's quick example, verbatim between the region markers (readme.test.ts checks the
// README against it and runs it, with MongoClient replaced by a fake client).
// #region readme
import { createSessionEngine } from '@tessera/core'
import { ensureIndexes, MongoStore } from '@tessera/mongodb'
import { MongoClient } from 'mongodb'

const client = new MongoClient(process.env.MONGODB_URL ?? 'mongodb://127.0.0.1:27017', {
  serverSelectionTimeoutMS: 2_000, // MongoDB unreachable: fail in 2 s (a 503), not 30 s
  socketTimeoutMS: 10_000, // a connection that went silent fails instead of waiting forever
  maxPoolSize: 20, // connections per process; more concurrent calls queue for one
})
const sessions = client.db('app').collection('sessions')

// Once, at deploy time (a migration or a deploy script): the TTL and userId indexes, and
// the TTL index of the lease collection sessions_locks.
await ensureIndexes(sessions)

const secret = process.env.SESSION_SECRET
if (!secret) throw new Error('Set SESSION_SECRET to 32 or more random characters.')
const engine = createSessionEngine({ secret, store: new MongoStore({ collection: sessions }) })

// With Express, Koa or Hono, pass the same `store` to the adapter's `session({ ... })`.
// At shutdown, `await client.close()`: the store never closes a client you passed in.
// #endregion readme

export { client, engine }
