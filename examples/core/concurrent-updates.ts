import { createSessionEngine, MemoryStore } from '@tessera/core'

interface Data {
  cart: string[]
  theme: 'light' | 'dark'
}

// #region conflict-event
const engine = createSessionEngine<Data>({
  secret: process.env.SESSION_SECRET!,
  store: new MemoryStore(),
  on: {
    // A commit lost the version race and re-applied its changes on the fresh record.
    conflict: ({ attempt }) => console.debug(`session commit retried (attempt ${attempt})`),
  },
})
// #endregion conflict-event

/** One request that adds `item` to the cart of the session behind `cookie`. */
export async function addToCart(cookie: string, item: string): Promise<void> {
  const rs = engine.start({ cookie })
  await rs.load()
  // #region update
  // Replayed on the fresh value if a concurrent request wrote first: every item survives.
  rs.session.update('cart', (cart = []) => [...cart, item])
  // #endregion update
  await rs.commit({ status: 200 })
}

/** One request that sets the theme: a plain `set`, re-applied as set on a conflict. */
export async function setTheme(cookie: string, theme: Data['theme']): Promise<void> {
  const rs = engine.start({ cookie })
  await rs.load()
  // #region set
  // Re-applied as this request set it: the last commit's value wins, other keys are kept.
  rs.session.set('theme', theme)
  // #endregion set
  await rs.commit({ status: 200 })
}

export { engine }
