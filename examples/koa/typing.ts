// Types `ctx.session` on every Koa context of the examples (one AppSession for all of them).
// #region typing
import type { SessionContext } from '@tessera/koa'
import type { AppSession } from './quick-start.js'

declare module 'koa' {
  interface DefaultContext extends SessionContext<AppSession> {}
}
// #endregion typing
