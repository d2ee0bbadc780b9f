export { ADAPTERS } from './adapters.js'
export { BulkClient, type BulkResponse } from './bulk-client.js'
export { mapConcurrent, sleep } from './concurrency.js'
export { startExpressApp } from './express-app.js'
export { startHonoApp } from './hono-app.js'
export { startKoaApp } from './koa-app.js'
export type { SecurityAdapter, SecurityApp } from './security-app.js'
export { HandlerFailure, type SecurityRoute, securityRoutes } from './security-routes.js'
export {
  COOKIE_NAME,
  idOf,
  parseSetCookie,
  SUITE_SECRET,
  sessionCookiesOf,
  signId,
  storeKeyOf,
} from './session-cookies.js'
export { deleteKeys } from './store-fixtures.js'
