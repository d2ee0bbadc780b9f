import { readmeBlock, sourceRegion } from '@tessera/test-support'
import { describe, expect, it, vi } from 'vitest'
import { SESSION_INDEXES } from '../src/index.js'
import { FakeCollection } from './fake-collection.js'

// The README's quick example is test/readme-example.ts: the README must show it verbatim, and
// it must run. MongoClient is replaced by a client whose collections are FakeCollections, so
// the example runs without a server and the test can see what it configured.

const fakeDriver = vi.hoisted(() => ({
  clients: [] as Array<{ url: string; options: unknown }>,
  collections: new Map<string, unknown>(),
  makeCollection: undefined as ((name: string) => unknown) | undefined,
}))

vi.mock('mongodb', async (importOriginal) => {
  const actual = await importOriginal<typeof import('mongodb')>()
  class MongoClient {
    constructor(url: string, options: unknown) {
      fakeDriver.clients.push({ url, options })
    }
    db(dbName: string) {
      return {
        collection(name: string) {
          const id = `${dbName}.${name}`
          if (!fakeDriver.collections.has(id)) {
            fakeDriver.collections.set(id, fakeDriver.makeCollection?.(name))
          }
          return fakeDriver.collections.get(id)
        },
      }
    }
    async close() {}
  }
  return { ...actual, MongoClient }
})

describe('README', () => {
  it('shows test/readme-example.ts verbatim', () => {
    const region = sourceRegion(new URL('./readme-example.ts', import.meta.url), 'readme')
    expect(readmeBlock(new URL('../README.md', import.meta.url), 'Quick example')).toBe(region)
  })

  it('the quick example runs: recommended options, indexes created, sessions stored', async () => {
    fakeDriver.makeCollection = (name) => new FakeCollection({ collectionName: name })
    vi.stubEnv('SESSION_SECRET', 'readme-example-secret-0123456789abcdef')
    const { engine } = await import('./readme-example.js')
    expect(fakeDriver.clients).toHaveLength(1)
    expect(fakeDriver.clients[0]?.options).toEqual({
      serverSelectionTimeoutMS: 2_000,
      socketTimeoutMS: 10_000,
      maxPoolSize: 20,
    })
    const sessions = fakeDriver.collections.get('app.sessions') as FakeCollection
    expect(sessions.indexes.map((index) => index.options.name)).toEqual([
      SESSION_INDEXES.expiry,
      SESSION_INDEXES.user,
    ])
    expect(sessions.db.collection('sessions_locks').indexes.map((i) => i.options.name)).toEqual([
      SESSION_INDEXES.lease,
    ])
    const rs = engine.start({})
    await rs.load()
    rs.session.set('greeting', 'hello')
    await rs.commit({ status: 200 })
    expect(sessions.documents()).toHaveLength(1)
    expect(sessions.documents()[0]?.payload).toContain('hello')
    vi.unstubAllEnvs()
  })
})
