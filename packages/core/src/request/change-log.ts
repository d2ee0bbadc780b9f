import type { PayloadCodec, SessionMeta } from '../engine/session-payload.js'
import { getOwn, setOwn } from './own-property.js'

/** One change a request made to a top-level key, kept to re-apply it after a conflict. */
type Operation = { key: string } & (
  | { kind: 'set'; value: unknown }
  | { kind: 'delete' }
  | { kind: 'update'; fn: (current: unknown) => unknown }
)

/** A top-level value as it was before this request touched it. */
type Snapshot = typeof ABSENT | { serialized: string } | string | number | boolean | bigint | null
const ABSENT = Symbol('absent')

/**
 * What one request changed, so the commit writes only when something did and, when it loses
 * a version race, re-applies exactly this request's changes to the fresh record: keys it set
 * or deleted, `update` functions replayed on the fresh value, flash messages added or taken,
 * a CSRF token created.
 *
 * Change detection compares each touched key's serialized form at commit with its form when
 * first touched, so nested mutation (`cart.push(x)`) counts without a `modified` flag.
 */
export class ChangeLog {
  // Most requests touch one key: its snapshot has fields of its own, and a Map is made only
  // for a second key. Operations are one list in the order they were made (read back only
  // after a conflict). A request that touches nothing allocates neither.
  private firstKey: string | null = null
  private firstSnapshot: Snapshot = ABSENT
  private snapshots: Map<string, Snapshot> | null = null
  private operations: Operation[] | null = null
  /** Engine metadata (user, CSRF token, flash) changed. */
  metaChanged = false
  private csrfCreated = false
  private flashAdded: Array<[string, unknown]> = []
  private flashTaken: Map<string, number> | null = null

  constructor(private readonly codec: PayloadCodec) {}

  /** Remembers `key`'s value before this request first touches it. */
  track(data: Record<string, unknown>, key: string): void {
    if (this.firstKey === key) return
    if (this.firstKey === null) {
      this.firstSnapshot = this.snapshotOf(data, key)
      this.firstKey = key
      return
    }
    if (this.snapshots === null) this.snapshots = new Map()
    else if (this.snapshots.has(key)) return
    this.snapshots.set(key, this.snapshotOf(data, key))
  }

  private snapshotOf(data: Record<string, unknown>, key: string): Snapshot {
    if (!Object.hasOwn(data, key)) return ABSENT
    const value = data[key]
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
      return value === undefined ? ABSENT : (value as Snapshot)
    }
    return { serialized: this.codec.serializeValue(value, key) }
  }

  set(key: string, value: unknown): void {
    this.push({ key, kind: 'set', value })
  }

  delete(key: string): void {
    this.push({ key, kind: 'delete' })
  }

  update(key: string, fn: (current: unknown) => unknown): void {
    this.push({ key, kind: 'update', fn })
  }

  private push(operation: Operation): void {
    if (this.operations === null) this.operations = [operation]
    else this.operations.push(operation)
  }

  csrfTokenCreated(): void {
    this.csrfCreated = true
    this.metaChanged = true
  }

  flashAdd(key: string, message: unknown): void {
    this.flashAdded.push([key, message])
    this.metaChanged = true
  }

  flashTake(key: string, count: number): void {
    if (this.flashTaken === null) this.flashTaken = new Map()
    this.flashTaken.set(key, (this.flashTaken.get(key) ?? 0) + count)
    this.metaChanged = true
  }

  /** The touched keys whose value differs from when they were first touched. */
  changedKeys(data: Record<string, unknown>): string[] {
    const changed: string[] = []
    if (this.firstKey === null) return changed
    if (this.differs(data, this.firstKey, this.firstSnapshot)) changed.push(this.firstKey)
    if (this.snapshots === null) return changed
    for (const [key, before] of this.snapshots) {
      if (this.differs(data, key, before)) changed.push(key)
    }
    return changed
  }

  private differs(data: Record<string, unknown>, key: string, before: Snapshot): boolean {
    const present = Object.hasOwn(data, key) && data[key] !== undefined
    const value = present ? data[key] : undefined
    if (before === ABSENT) return present
    if (typeof before === 'object' && before !== null) {
      return !(
        present &&
        typeof value === 'object' &&
        value !== null &&
        this.codec.serializeValue(value, key) === before.serialized
      )
    }
    return !(present && Object.is(value, before))
  }

  /** This request's changes to `changed` keys, applied to the freshly read `fresh` data. */
  reapply(
    fresh: Record<string, unknown>,
    data: Record<string, unknown>,
    changed: readonly string[],
  ): Record<string, unknown> {
    for (const key of changed) {
      const operations = this.operations?.filter((operation) => operation.key === key)
      if (operations?.some((operation) => operation.kind === 'update')) {
        let value: unknown = Object.hasOwn(fresh, key) ? fresh[key] : undefined
        for (const operation of operations) {
          if (operation.kind === 'set') value = operation.value
          else if (operation.kind === 'delete') value = undefined
          else value = operation.fn(value)
        }
        if (value === undefined) delete fresh[key]
        else setOwn(fresh, key, value)
      } else if (Object.hasOwn(data, key) && data[key] !== undefined) {
        setOwn(fresh, key, data[key])
      } else {
        delete fresh[key]
      }
    }
    return fresh
  }

  /** This request's metadata changes (CSRF token, flash), applied to the fresh metadata. */
  reapplyMeta(fresh: SessionMeta, current: SessionMeta): SessionMeta {
    if (this.csrfCreated && current.t) fresh.t = current.t
    const taken = this.flashTaken
    if ((taken !== null && taken.size > 0) || this.flashAdded.length > 0) {
      if (!fresh.f) fresh.f = {}
      const flashes = fresh.f
      for (const [key, count] of taken ?? []) {
        const list = getOwn(flashes, key)
        if (list) {
          list.splice(0, count)
          if (list.length === 0) delete flashes[key]
        }
      }
      for (const [key, message] of this.flashAdded) {
        const list = getOwn(flashes, key)
        if (list) list.push(message)
        else setOwn(flashes, key, [message])
      }
      if (Object.keys(flashes).length === 0) delete fresh.f
    }
    return fresh
  }

  /** Forgets everything: after a write, or when the session is replaced. */
  reset(): void {
    this.firstKey = null
    this.firstSnapshot = ABSENT
    this.snapshots = null
    this.operations = null
    this.metaChanged = false
    this.csrfCreated = false
    if (this.flashAdded.length > 0) this.flashAdded = []
    this.flashTaken = null
  }
}
