export {
  addToCart,
  CATALOGUE,
  type CartLine,
  type CatalogueItem,
  cartLines,
  catalogueItem,
  MAX_CART_ITEMS,
  removeFromCart,
} from './cart.js'
export { type DemoConfig, type DemoEnv, parseDemoConfig } from './demo-config.js'
export { DemoConfigError } from './demo-config-error.js'
export { type DemoDatabase, openDemoDatabase, type Role } from './demo-database.js'
export type { DemoSession } from './demo-session.js'
export { DemoStoreUnreachableError } from './demo-store-errors.js'
export {
  addToCartForm,
  type CartSession,
  changePasswordForm,
  type FormOutcome,
  type NameSession,
  registerForm,
  removeFromCartForm,
  saveName,
} from './form-actions.js'
export {
  type FormBody,
  field,
  localPath,
  MIN_PASSWORD_LENGTH,
  normalizeName,
  normalizeUsername,
  parseTheme,
  type Theme,
  validatePassword,
  validateUsername,
} from './forms.js'
export { escapeHtml, type HtmlValue, html, SafeHtml } from './html.js'
export { type Demo, type OpenDemoOptions, openDemo } from './open-demo.js'
export { type OpenedSessionStore, openSessionStore } from './open-session-store.js'
export { hashPassword, randomPassword, verifyPassword } from './passwords.js'
export { type SeedAccountsOptions, type SeedResult, seedAccounts } from './seed-accounts.js'
export { runDemo, type ServeDemoOptions, serveDemo } from './serve-demo.js'
export {
  adminRows,
  passwordChangedMessage,
  revokeOtherSessions,
  type SessionAdmin,
  sessionList,
} from './session-lists.js'
export { resolveSessionSecret } from './session-secret.js'
export {
  describeSessionStore,
  maskPassword,
  parseSessionStore,
  SESSION_STORE_FORMS,
  type SessionStoreSpec,
} from './session-store-spec.js'
export { type SignInSession, signIn } from './sign-in.js'
export { STYLESHEET } from './stylesheet.js'
export { type DemoUser, UsernameTakenError, UserRepository } from './user-repository.js'
export { loginPage, passwordPage, registerPage } from './views/account-pages.js'
export { type AdminRow, adminPage } from './views/admin-page.js'
export { cartPage } from './views/cart-page.js'
export {
  CSRF_REFUSED,
  ERROR_PAGES,
  errorMessage,
  errorPage,
  errorStatus,
  logError,
} from './views/error-page.js'
export { describeUserAgent, formatDuration, relativeTime } from './views/format.js'
export { homePage } from './views/home-page.js'
export { csrfField, layout, postButton } from './views/layout.js'
export {
  bareContext,
  type FlashMessage,
  type FooterInfo,
  flashMessages,
  type PageContext,
} from './views/page-context.js'
export { type SessionList, sessionsPage } from './views/sessions-page.js'
