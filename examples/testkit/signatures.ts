import type {
  StoredSession as CoreStoredSession,
  ResponseHeaders,
  Session,
  SessionEngine,
  SessionStore,
} from '@tessera/core'
import * as testkit from '@tessera/testkit'
import { expectTypeOf } from 'vitest'

// The signatures the testkit README prints, each checked against the real export: the README
// quotes the overload signature, the implementation forwards to the testkit, and a type test
// fails the type-check when the two differ.

// #region describe-store
function describeStore(
  name: string,
  makeStore: () => SessionStore | Promise<SessionStore>,
  capabilities?: StoreCapabilities,
): void
// #endregion describe-store
function describeStore(...args: Parameters<typeof testkit.describeStore>): void {
  testkit.describeStore(...args)
}
expectTypeOf(describeStore).toEqualTypeOf(testkit.describeStore)

// #region store-capabilities
interface StoreCapabilities {
  listByUser?: boolean // true: must exist, cases run; false: must not exist, skipped;
  destroyByUser?: boolean //   absent: cases run when the store has the method
  prune?: boolean
  lock?: boolean // leases for exclusive sections (lock and unlock)
  unlock?: boolean
  isolated?: boolean // each makeStore() is empty and private: counts are checked exactly
  cleanup?: (store: SessionStore) => void | Promise<void> // after each case, before close()
  extraTests?: (getStore: () => SessionStore) => void // the store's own tests
}
// #endregion store-capabilities
expectTypeOf<StoreCapabilities>().toEqualTypeOf<testkit.StoreCapabilities>()

// #region stored-record
function storedRecord(fields?: Partial<StoredSession>): StoredSession
// #endregion stored-record
function storedRecord(fields?: Partial<StoredSession>): StoredSession {
  return testkit.storedRecord(fields)
}
expectTypeOf(storedRecord).toEqualTypeOf(testkit.storedRecord)

// #region exchange
function exchange<Data extends object, Result = undefined>(
  engine: SessionEngine<Data>,
  cookie: string | undefined, // the Cookie header the "browser" sends
  route?: (session: Session<Data>) => Result | Promise<Result>,
  options?: { status?: number; userAgent?: string; headers?: Record<string, string> },
): Promise<{
  result: Result // what the route returned, awaited
  headers: ResponseHeaders // what the engine adds to the response
  setCookie: string | undefined
  cookie: string | undefined // the Cookie header to send next (undefined once cleared)
  header(name: string): string | undefined
}>
// #endregion exchange
function exchange<Data extends object, Result>(
  ...args: Parameters<typeof testkit.exchange<Data, Result>>
) {
  return testkit.exchange<Data, Result>(...args)
}
expectTypeOf(exchange).toEqualTypeOf(testkit.exchange)

// #region counting-store
function countingStore(store?: SessionStore): {
  store: SessionStore // pass this one to the engine
  readonly calls: Partial<Record<keyof SessionStore, number>> // e.g. { get: 1, set: 1 }
  reset(): void
}
// #endregion counting-store
function countingStore(store?: SessionStore) {
  return testkit.countingStore(store)
}
expectTypeOf(countingStore).toEqualTypeOf(testkit.countingStore)

// #region manual-clock
function manualClock(start?: number): { now(): number; advance(ms: number): void }
// #endregion manual-clock
function manualClock(start?: number) {
  return testkit.manualClock(start)
}
expectTypeOf(manualClock).toEqualTypeOf(testkit.manualClock)

// #region stored-session
interface StoredSession {
  payload: string // opaque; may hold any Unicode, including NUL; up to ~1 MiB or more
  version: number // bumped by the engine on every write
  expiresAt: number // ms since the epoch
  userId?: string | null // for the per-user index
}
// #endregion stored-session
expectTypeOf<StoredSession>().toEqualTypeOf<CoreStoredSession>()

export { countingStore, describeStore, exchange, manualClock, storedRecord }
