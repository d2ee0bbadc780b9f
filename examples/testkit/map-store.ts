// A minimal store, correct but for one process: the testkit README's "Writing a store".
// #region map-store
import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'

export class MapStore implements SessionStore {
  readonly #records = new Map<string, StoredSession>()

  #live(key: string): StoredSession | undefined {
    const rec = this.#records.get(key)
    if (rec && rec.expiresAt <= Date.now()) {
      this.#records.delete(key)
      return undefined
    }
    return rec
  }

  async get(key: string): Promise<StoredSession | null> {
    const rec = this.#live(key)
    return rec ? { ...rec } : null
  }

  // No await between the check and the write: atomic within one process.
  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    if ((this.#live(key)?.version ?? null) !== expected) return false
    this.#records.set(key, { ...record, userId: record.userId ?? null })
    return true
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const rec = this.#live(key)
    if (rec) rec.expiresAt = expiresAt
  }

  async destroy(key: string): Promise<void> {
    this.#records.delete(key)
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    const out: KeyedStoredSession[] = []
    for (const key of [...this.#records.keys()]) {
      const rec = this.#live(key)
      if (rec?.userId === userId) out.push({ key, ...rec })
    }
    return out
  }

  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    let removed = 0
    for (const { key } of await this.listByUser(userId)) {
      if (key !== exceptKey && this.#records.delete(key)) removed++
    }
    return removed
  }

  async prune(): Promise<number> {
    const before = this.#records.size
    for (const key of [...this.#records.keys()]) this.#live(key)
    return before - this.#records.size
  }
}
// #endregion map-store
