import { randomBytes } from 'node:crypto'
import { isCI } from '@tessera/test-support'
import { MongoClient } from 'mongodb'
import { ensureIndexes, type MongoSessionCollection } from '../src/index.js'
import { FakeCollection } from './fake-collection.js'

/** Where the suites keep sessions: the real server at MONGODB_URL, or the in-memory fake. */
export interface SessionBackend {
  /** `'MongoDB server'` or `'in-memory FakeCollection'`, for test titles. */
  name: string
  real: boolean
  /** A new, empty collection with the store's indexes (`ensureIndexes` already ran). */
  newCollection(): Promise<MongoSessionCollection>
  /** Drops the run's database and closes the client (real server); nothing for the fake. */
  release(): Promise<void>
}

export const MONGODB_URL = process.env.MONGODB_URL

/** `tessera_<random>`: one name per run or per case, so runs on a shared server never collide. */
export function uniqueName(prefix = 'tessera'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`
}

/**
 * The backend of this run, announced in one loud line: with MONGODB_URL set, a fresh
 * database on that server (dropped by `release`); otherwise the fake. The fake run is not
 * a skip, it counts, but it proves only what the fake models (see fake-collection.ts).
 */
export async function sessionBackend(suite: string): Promise<SessionBackend> {
  if (!MONGODB_URL) {
    console.warn(
      `\n!!! ${suite}: NO MONGODB SERVER (MONGODB_URL is not set${isCI ? ', CI' : ''}): running against the in-memory FakeCollection (test/fake-collection.ts), NOT a real server. Set MONGODB_URL=mongodb://host:27017 to run it against MongoDB. !!!\n`,
    )
    return {
      name: 'in-memory FakeCollection',
      real: false,
      async newCollection() {
        const collection = new FakeCollection()
        await ensureIndexes(collection)
        return collection
      },
      release: async () => {},
    }
  }
  const client = new MongoClient(MONGODB_URL, { serverSelectionTimeoutMS: 5_000 })
  await client.connect() // an unreachable MONGODB_URL fails the run here, loudly
  const db = client.db(uniqueName('tessera_test'))
  console.warn(
    `\n=== ${suite}: running against the MongoDB server at ${redact(MONGODB_URL)} (MONGODB_URL), database ${db.databaseName}, dropped afterwards ===\n`,
  )
  return {
    name: 'MongoDB server',
    real: true,
    async newCollection() {
      const collection = db.collection(uniqueName('sessions'))
      await ensureIndexes(collection)
      return collection
    },
    async release() {
      try {
        await db.dropDatabase()
      } finally {
        await client.close()
      }
    },
  }
}

/** The URL without credentials, for the log line. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    return parsed.href
  } catch {
    return '(unparsable MONGODB_URL)'
  }
}
