import { randomUUID } from 'node:crypto'
import type { SessionStore } from '@tessera/core'

/** How a {@link switchableStore} answers: normally, by failing, or never. */
export type StoreMode = 'ok' | 'fail' | 'hang'

/** A store whose every call can be switched to fail or to hang, to test outages and recovery. */
export interface SwitchableStore extends SessionStore {
  mode: StoreMode
  /** Store calls made so far, by method. */
  readonly calls: Record<string, number>
}

/** Wraps `store` so that tests can break it (`mode = 'fail' | 'hang'`) and mend it again. */
export function switchableStore(store: SessionStore): SwitchableStore {
  const calls: Record<string, number> = {}
  const wrapped: SwitchableStore = {
    mode: 'ok',
    calls,
    get: (key) => guard('get', () => store.get(key)),
    set: (key, record, expected) => guard('set', () => store.set(key, record, expected)),
    touch: (key, expiresAt) => guard('touch', () => store.touch(key, expiresAt)),
    destroy: (key) => guard('destroy', () => store.destroy(key)),
  }
  function guard<T>(method: string, call: () => Promise<T>): Promise<T> {
    calls[method] = (calls[method] ?? 0) + 1
    if (wrapped.mode === 'fail') return Promise.reject(new Error(`store ${method} is down (test)`))
    if (wrapped.mode === 'hang') return new Promise<T>(() => {})
    return call()
  }
  return wrapped
}

/**
 * `store` with in-memory leases (`lock`/`unlock`) added, for the exclusive-section cases: they
 * test the engine and the adapters, whatever the store (the stores' own leases are tested by
 * the conformance kit).
 */
export function withLeases(store: SessionStore): SessionStore {
  const leases = new Map<string, { token: string; expiresAt: number }>()
  return Object.assign(withoutLeases(store), {
    async lock(key: string, leaseMs: number): Promise<string | null> {
      const held = leases.get(key)
      if (held && held.expiresAt > Date.now()) return null
      const token = randomUUID()
      leases.set(key, { token, expiresAt: Date.now() + leaseMs })
      return token
    },
    async unlock(key: string, token: string): Promise<void> {
      if (leases.get(key)?.token === token) leases.delete(key)
    },
  })
}

/** `store` without its leases (`lock`/`unlock`), as a store that never had them. */
export function withoutLeases(store: SessionStore): SessionStore {
  const bound: Record<string, unknown> = {}
  for (const name of ['get', 'set', 'touch', 'destroy', 'listByUser', 'destroyByUser', 'prune']) {
    const method = (store as unknown as Record<string, unknown>)[name]
    if (typeof method === 'function') bound[name] = method.bind(store)
  }
  return bound as unknown as SessionStore
}
