import { expressAdapter } from './express-app.js'
import { honoAdapter } from './hono-app.js'
import { koaAdapter } from './koa-app.js'
import type { SecurityAdapter } from './security-app.js'

/** Every adapter the security suite, the fuzzing and the fault tests run on. */
export const ADAPTERS: readonly SecurityAdapter[] = [expressAdapter, koaAdapter, honoAdapter]
