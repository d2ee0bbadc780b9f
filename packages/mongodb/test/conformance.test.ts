import { describeStore, EVERY_OPTIONAL_METHOD } from '@tessera/testkit'
import { afterAll } from 'vitest'
import { MongoStore } from '../src/index.js'
import { sessionBackend } from './backends.js'

// The store conformance suite, unchanged: against the server at MONGODB_URL (each case gets a
// collection of its own in a database dropped at the end), else against the in-memory fake.
const backend = await sessionBackend('MongoStore conformance')
afterAll(() => backend.release())

describeStore(
  `MongoStore (${backend.name})`,
  async () => new MongoStore({ collection: await backend.newCollection() }),
  {
    ...EVERY_OPTIONAL_METHOD,
    prune: false, // the TTL index expires sessions
    isolated: true,
  },
)
