import type { SessionData } from '@tessera/core'
import type { PropertySession } from '@tessera/core/adapter'

/**
 * `ctx.session`: the `Session` of every Tessera adapter, plus koa-session's property
 * access. `ctx.session.views = 1` is `set('views', 1)`, `ctx.session.views` is `get('views')`,
 * `delete ctx.session.views` is `delete('views')`, and `Object.keys`, spread and
 * `JSON.stringify` see the data. Nested mutation (`ctx.session.cart.push(x)`) is saved.
 *
 * Session members take priority over data keys: a key named like a member (`id`, `get`,
 * `save`, …) is reachable through `get()`/`set()` only.
 */
export type KoaSession<Data extends object = SessionData> = PropertySession<Data>
