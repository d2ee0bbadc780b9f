import {
  createSessionEngine,
  type Session,
  type SessionEngine,
  SessionStoreError,
} from '@tessera/core'
import { freePort } from '@tessera/test-support'
import { exchange } from '@tessera/testkit'
import {
  MongoClient,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerSelectionError,
} from 'mongodb'
import {
  MongoClient as MongoClient7,
  MongoNetworkError as MongoNetworkError7,
  MongoNetworkTimeoutError as MongoNetworkTimeoutError7,
  MongoServerSelectionError as MongoServerSelectionError7,
} from 'mongodb-v7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MongoSessionCollection, MongoStore } from '../src/index.js'
import { type BrokenMode, startBrokenMongoServer } from './broken-mongo-server.js'
import { FakeCollection } from './fake-collection.js'

// Server failures become the engine's SessionStoreError (503), bounded in time, never a hang:
// with the fake (a network error, a call that never settles) and with the real drivers, 6 and
// 7, against a closed port and a wire-protocol server that drops or ignores every command.

const SECRET = 'mongodb-faults-test-secret-0123456789abcdef'
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', onUnhandled)
  expect(unhandled, 'no unhandled rejection from a late driver error').toEqual([])
})

function engineOn(collection: MongoSessionCollection, storeTimeout = 5_000): SessionEngine {
  return createSessionEngine({
    secret: SECRET,
    store: new MongoStore({ collection }),
    cookie: { secure: false },
    storeTimeout,
  })
}

/** The route of these tests: counts the session's visits, so a lost session shows. */
const visit = (session: Session) =>
  session.update('visits', (n) => ((n as number | undefined) ?? 0) + 1)

/** Runs a request that must fail; returns the SessionStoreError and how long it took. */
async function failedRequest(engine: SessionEngine, cookie?: string) {
  const started = Date.now()
  const error = await exchange(engine, cookie, visit).then(
    () => expect.fail('the request should fail while the server is broken'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SessionStoreError)
  expect((error as SessionStoreError).status).toBe(503)
  return { error: error as SessionStoreError, ms: Date.now() - started }
}

describe('on the fake', () => {
  it('a network error is a SessionStoreError carrying it; the next request after recovery works', async () => {
    const collection = new FakeCollection()
    const engine = engineOn(collection)
    const first = await exchange(engine, undefined, visit)
    collection.failure = new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed')
    const { error } = await failedRequest(engine, first.cookie)
    expect(error.code).toBe('SESSION_STORE_FAILED')
    expect(error.operation).toBe('get')
    expect(error.cause).toBe(collection.failure)
    collection.failure = undefined
    expect((await exchange(engine, first.cookie, visit)).result).toBe(2)
    await engine.close()
  })

  it('a call that never settles ends at storeTimeout as SESSION_STORE_TIMEOUT', async () => {
    const collection = new FakeCollection()
    const engine = engineOn(collection, 300)
    collection.hang = true
    const { error, ms } = await failedRequest(engine)
    expect(error.code).toBe('SESSION_STORE_TIMEOUT')
    expect(ms).toBeLessThan(1_500)
    await engine.close()
  })
})

interface DriverOptions {
  serverSelectionTimeoutMS?: number
  connectTimeoutMS?: number
  socketTimeoutMS?: number
}

const drivers = [
  {
    name: 'mongodb 6',
    open(url: string, options: DriverOptions) {
      const client = new MongoClient(url, options)
      return { collection: client.db('app').collection('sessions'), close: () => client.close() }
    },
    ServerSelectionError: MongoServerSelectionError,
    NetworkError: MongoNetworkError,
    NetworkTimeoutError: MongoNetworkTimeoutError,
  },
  {
    name: 'mongodb 7',
    open(url: string, options: DriverOptions) {
      const client = new MongoClient7(url, options)
      return { collection: client.db('app').collection('sessions'), close: () => client.close() }
    },
    ServerSelectionError: MongoServerSelectionError7,
    NetworkError: MongoNetworkError7,
    NetworkTimeoutError: MongoNetworkTimeoutError7,
  },
]

for (const driver of drivers) {
  describe(`the real driver (${driver.name}) without a working server`, () => {
    /** Opens the driver on `url`, runs `run` with an engine on it, then closes both. */
    async function withEngine(
      url: string,
      options: DriverOptions & { storeTimeout?: number },
      run: (engine: SessionEngine) => Promise<void>,
    ) {
      const { storeTimeout, ...driverOptions } = options
      const { collection, close } = driver.open(url, driverOptions)
      const engine = engineOn(collection, storeTimeout)
      try {
        await run(engine)
      } finally {
        await engine.close()
        await close() // fails any abandoned call: the engine must not leak its rejection
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    /** Runs `run` against a broken server, then checks the driver got as far as a command. */
    async function withBroken(mode: BrokenMode, run: (url: string) => Promise<void>) {
      const server = await startBrokenMongoServer(mode)
      try {
        await run(server.url)
        expect(server.commands, 'the store reached the server with its insert').toContain('insert')
      } finally {
        await server.close()
      }
    }

    it('nothing listening: MongoServerSelectionError after serverSelectionTimeoutMS', async () => {
      const url = `mongodb://127.0.0.1:${await freePort()}`
      await withEngine(url, { serverSelectionTimeoutMS: 300 }, async (engine) => {
        const { error, ms } = await failedRequest(engine)
        expect(error.code).toBe('SESSION_STORE_FAILED')
        expect(error.cause).toBeInstanceOf(driver.ServerSelectionError)
        expect(ms).toBeGreaterThanOrEqual(250)
        expect(ms).toBeLessThan(2_000)
      })
    })

    it('the server drops every connection: MongoNetworkError, at once', async () => {
      await withBroken('drop', (url) =>
        withEngine(url, { serverSelectionTimeoutMS: 1_000 }, async (engine) => {
          const first = await failedRequest(engine)
          expect(first.error.cause).toBeInstanceOf(driver.NetworkError)
          expect(first.ms).toBeLessThan(1_000)
          // The driver now marks the server unknown until a heartbeat succeeds: the next
          // failure is a network error again or a bounded server selection error.
          const second = await failedRequest(engine)
          expect(second.error.cause).toSatisfy(
            (cause: unknown) =>
              cause instanceof driver.NetworkError || cause instanceof driver.ServerSelectionError,
          )
          expect(second.ms).toBeLessThan(2_500)
        }),
      )
    })

    it('the server never answers: socketTimeoutMS ends the wait (MongoNetworkTimeoutError)', async () => {
      const options = { serverSelectionTimeoutMS: 1_000, socketTimeoutMS: 300 }
      await withBroken('silent', (url) =>
        withEngine(url, options, async (engine) => {
          const { error, ms } = await failedRequest(engine)
          expect(error.code).toBe('SESSION_STORE_FAILED')
          expect(error.cause).toBeInstanceOf(driver.NetworkTimeoutError)
          expect(ms).toBeGreaterThanOrEqual(250)
          expect(ms).toBeLessThan(2_000)
        }),
      )
    })

    it('never answers, driver defaults (no socket timeout): storeTimeout still bounds it', async () => {
      await withBroken('silent', (url) =>
        withEngine(url, { storeTimeout: 400 }, async (engine) => {
          const { error, ms } = await failedRequest(engine)
          expect(error.code).toBe('SESSION_STORE_TIMEOUT')
          expect(ms).toBeLessThan(1_500)
        }),
      )
    })
  })
}
