import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'

/**
 * The smallest correct store: what the README's skeleton grows into. The testkit's own tests
 * run the suite against it, and derive deliberately broken stores from it.
 */
export class ReferenceStore implements SessionStore {
  protected readonly records = new Map<string, StoredSession>()

  protected live(key: string): StoredSession | undefined {
    const rec = this.records.get(key)
    if (rec && rec.expiresAt <= Date.now()) {
      this.records.delete(key)
      return undefined
    }
    return rec
  }

  async get(key: string): Promise<StoredSession | null> {
    const rec = this.live(key)
    return rec ? { ...rec } : null
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    const current = this.live(key)
    if ((current?.version ?? null) !== expected) return false
    this.records.set(key, { ...record, userId: record.userId ?? null })
    return true
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const rec = this.live(key)
    if (rec) rec.expiresAt = expiresAt
  }

  async destroy(key: string): Promise<void> {
    this.records.delete(key)
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    const out: KeyedStoredSession[] = []
    for (const key of [...this.records.keys()]) {
      const rec = this.live(key)
      if (rec && rec.userId === userId) out.push({ key, ...rec })
    }
    return out
  }

  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    let removed = 0
    for (const { key } of await this.listByUser(userId)) {
      if (key === exceptKey) continue
      this.records.delete(key)
      removed++
    }
    return removed
  }

  async prune(): Promise<number> {
    let removed = 0
    const now = Date.now()
    for (const [key, rec] of this.records) {
      if (rec.expiresAt <= now) {
        this.records.delete(key)
        removed++
      }
    }
    return removed
  }
}

/** A store with only the required methods: the optional cases must skip, not fail. */
export class MinimalStore implements SessionStore {
  readonly #inner = new ReferenceStore()
  get(key: string) {
    return this.#inner.get(key)
  }
  set(key: string, record: StoredSession, expected: number | null) {
    return this.#inner.set(key, record, expected)
  }
  touch(key: string, expiresAt: number) {
    return this.#inner.touch(key, expiresAt)
  }
  destroy(key: string) {
    return this.#inner.destroy(key)
  }
}
