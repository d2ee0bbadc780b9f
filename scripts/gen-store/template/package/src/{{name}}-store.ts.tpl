import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'
import type { {{Name}}StoreOptions } from './{{name}}-store-options.js'
import { StoreMethodNotImplementedError } from './store-method-not-implemented-error.js'

const DEFAULT_PREFIX = 'tessera:'

/**
 * A Tessera {@link SessionStore} on {{Name}}.
 *
 * Scaffolded by `pnpm gen store {{name}}`: every method throws
 * {@link StoreMethodNotImplementedError} until it is written. CONTRIBUTING.md ("Write a store")
 * says what each one must guarantee; `pnpm --filter @tessera/{{name}} test` checks it.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { {{Name}}Store } from '@tessera/{{name}}'
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new {{Name}}Store({ prefix: 'myapp:' }),
 * })
 * ```
 */
export class {{Name}}Store implements SessionStore {
  /** Prepended to every key this store writes. */
  readonly prefix: string

  constructor(options: {{Name}}StoreOptions = {}) {
    this.prefix = options.prefix ?? DEFAULT_PREFIX
  }

  /** The record under `key`, or `null` when it is missing or its `expiresAt` has passed. */
  async get(_key: string): Promise<StoredSession | null> {
    throw new StoreMethodNotImplementedError('get')
  }

  /**
   * Writes `record` only if the live record's version equals `expected` (`null`: only if no
   * live record exists), check and write in one atomic step; otherwise changes nothing and
   * returns `false`.
   */
  async set(_key: string, _record: StoredSession, _expected: number | null): Promise<boolean> {
    throw new StoreMethodNotImplementedError('set')
  }

  /** Moves the expiry of a live record; does nothing for a missing or expired one. */
  async touch(_key: string, _expiresAt: number): Promise<void> {
    throw new StoreMethodNotImplementedError('touch')
  }

  /** Removes the record and its per-user index entry; does nothing when it is missing. */
  async destroy(_key: string): Promise<void> {
    throw new StoreMethodNotImplementedError('destroy')
  }

  /**
   * The live records of exactly this user, with their keys. Optional: without a per-user
   * index, delete it and set `listByUser: false` in test/conformance.test.ts.
   */
  async listByUser(_userId: string): Promise<KeyedStoredSession[]> {
    throw new StoreMethodNotImplementedError('listByUser')
  }

  /** Removes the user's live records but `exceptKey`; returns how many. Optional, like `listByUser`. */
  async destroyByUser(_userId: string, _exceptKey?: string): Promise<number> {
    throw new StoreMethodNotImplementedError('destroyByUser')
  }

  /**
   * Removes expired records; returns how many. Only for backends without native expiry:
   * otherwise delete it and set `prune: false` in test/conformance.test.ts.
   */
  async prune(): Promise<number> {
    throw new StoreMethodNotImplementedError('prune')
  }

  /**
   * Takes the lease `key` for `leaseMs` (exclusive sections): a random token when taken,
   * `null` while another holder's lease runs; an expired lease is taken over. Leases live apart
   * from session records. Optional: without them, delete both methods and set `lock: false,
   * unlock: false` in test/conformance.test.ts.
   */
  async lock(_key: string, _leaseMs: number): Promise<string | null> {
    throw new StoreMethodNotImplementedError('lock')
  }

  /** Ends the lease `token` holds on `key`, atomically; a no-op when another holds it now. */
  async unlock(_key: string, _token: string): Promise<void> {
    throw new StoreMethodNotImplementedError('unlock')
  }
}
