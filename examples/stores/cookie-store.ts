// CookieStore: the session sealed in the cookie (the CookieStore page of the site).
// #region cookie-store
import { CookieStore, createSessionEngine, MemoryStore } from '@tessera/core'

const engine = createSessionEngine({
  secret: process.env.SESSION_SECRET!,
  // Newest key first; older keys still open cookies sealed before a rotation.
  store: new CookieStore({ keys: [process.env.COOKIE_KEY!, process.env.OLD_COOKIE_KEY!] }),
  idleTimeout: '30m', // a copied cookie stays valid until it expires: keep this short
})
// #endregion cookie-store

// #region revocation
// Logout that a replayed cookie cannot undo: ended sessions are recorded in a shared store
// (use RedisStore or KyselyStore across instances; MemoryStore is one process only).
const revocable = createSessionEngine({
  secret: process.env.SESSION_SECRET!,
  store: new CookieStore({ revocation: { store: new MemoryStore() } }),
})

// #endregion revocation

export { engine, revocable }
