import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import { MapStore } from '../../map-store.js'

/** Options of the testkit README's placeholder store. */
export interface MyStoreOptions {
  url?: string | undefined
  prefix?: string
}

/**
 * The store the testkit README's examples test: a {@link MapStore} standing in for a store on
 * a server that expires records itself (so it has no `prune()`).
 */
export class MyStore implements SessionStore {
  readonly prefix: string
  readonly url: string | undefined
  readonly #records = new MapStore()
  connected = true

  constructor(options: MyStoreOptions = {}) {
    this.prefix = options.prefix ?? 'tessera:'
    this.url = options.url
  }

  get(key: string): Promise<StoredSession | null> {
    return this.#records.get(this.prefix + key)
  }
  set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    return this.#records.set(this.prefix + key, record, expected)
  }
  touch(key: string, expiresAt: number): Promise<void> {
    return this.#records.touch(this.prefix + key, expiresAt)
  }
  destroy(key: string): Promise<void> {
    return this.#records.destroy(this.prefix + key)
  }
  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    const records = await this.#records.listByUser(userId)
    return records.map((record) => ({ ...record, key: record.key.slice(this.prefix.length) }))
  }
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    const except = exceptKey === undefined ? undefined : this.prefix + exceptKey
    return this.#records.destroyByUser(userId, except)
  }
  async disconnect(): Promise<void> {
    this.connected = false
  }
}
