// Types `c.get('session')` on every Hono app of the examples (one AppSession for all of them).
// #region context-variable-map
import type { Session } from '@tessera/hono'
import type { AppSession } from './quick-start.js'

declare module 'hono' {
  interface ContextVariableMap {
    session: Session<AppSession>
  }
}
// #endregion context-variable-map
