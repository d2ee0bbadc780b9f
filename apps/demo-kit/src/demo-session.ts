import type { Theme } from './forms.js'

/** What the demos keep in the session (the same keys under Express, Koa and Hono). */
export interface DemoSession {
  /** The name from the home page's form. */
  name: string
  theme: Theme
  /** Catalogue ids, one entry per tile. */
  cart: string[]
}
