import type { KeyedStoredSession, SessionStore, StoredSession } from '@tessera/core'

/** The methods of the store contract, required and optional. */
export type StoreMethod = keyof SessionStore

/** Runs one store call; a wrapper decides what happens around it. */
export type AroundStoreCall = <T>(method: StoreMethod, call: () => Promise<T>) => Promise<T>

/**
 * A store whose every call goes through `around`. The engine detects the optional methods
 * (`listByUser`, `destroyByUser`, `prune`, `lock`, `unlock`, `close`) by their presence, so
 * the wrapper has exactly the optional methods `store` has: a wrapped store keeps the
 * capabilities it had.
 */
export function wrapStore(store: SessionStore, around: AroundStoreCall): SessionStore {
  const wrapped: SessionStore = {
    get: (key: string): Promise<StoredSession | null> => around('get', () => store.get(key)),
    set: (key: string, record: StoredSession, expected: number | null): Promise<boolean> =>
      around('set', () => store.set(key, record, expected)),
    touch: (key: string, expiresAt: number): Promise<void> =>
      around('touch', () => store.touch(key, expiresAt)),
    destroy: (key: string): Promise<void> => around('destroy', () => store.destroy(key)),
  }
  const { listByUser, destroyByUser, prune, lock, unlock, close } = store
  if (listByUser) {
    wrapped.listByUser = (userId: string): Promise<KeyedStoredSession[]> =>
      around('listByUser', () => listByUser.call(store, userId))
  }
  if (destroyByUser) {
    wrapped.destroyByUser = (userId: string, exceptKey?: string): Promise<number> =>
      around('destroyByUser', () => destroyByUser.call(store, userId, exceptKey))
  }
  if (prune) wrapped.prune = (): Promise<number> => around('prune', () => prune.call(store))
  if (lock) {
    wrapped.lock = (key: string, leaseMs: number): Promise<string | null> =>
      around('lock', () => lock.call(store, key, leaseMs))
  }
  if (unlock) {
    wrapped.unlock = (key: string, token: string): Promise<void> =>
      around('unlock', () => unlock.call(store, key, token))
  }
  if (close) wrapped.close = (): Promise<void> => around('close', () => close.call(store))
  return wrapped
}
