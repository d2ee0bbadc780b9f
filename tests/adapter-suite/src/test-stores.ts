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
