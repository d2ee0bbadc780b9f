import type { Role } from '../demo-database.js'
import type { Theme } from '../forms.js'

/** One flash message, as the layout shows it. */
export interface FlashMessage {
  kind: 'info' | 'error'
  text: string
}

/** The demo's settings every page shows in its footer. */
export interface FooterInfo {
  /** e.g. `'Express'` */
  framework: string
  idleTimeoutMs: number
  absoluteTimeoutMs: number
  /** The store, as {@link describeSessionStore} puts it. */
  store: string
}

/** What the layout needs from the request: who is signed in, theme, flash, CSRF token. */
export interface PageContext {
  /** The path of the page, to mark the current navigation link. */
  path: string
  user: { username: string; role: Role } | null
  theme: Theme
  flash: readonly FlashMessage[]
  /** The session's CSRF token, put in every form as `_csrf`. */
  csrfToken: string
  /** Items in the cart, for the navigation's badge. */
  cartCount: number
  footer: FooterInfo
  /** The time the page is rendered, for "5 minutes ago". */
  now: number
}

/**
 * Turns the session's flash messages (`session.takeAllFlash()`, keyed `info` / `error` as
 * passport's `failureFlash` and the demos use) into the layout's list.
 */
export function flashMessages(all: Readonly<Record<string, readonly unknown[]>>): FlashMessage[] {
  const messages: FlashMessage[] = []
  for (const [key, list] of Object.entries(all)) {
    for (const text of list) {
      if (typeof text === 'string')
        messages.push({ kind: key === 'error' ? 'error' : 'info', text })
    }
  }
  return messages
}

/** The context of an error page answered before the session could be read (store down). */
export function bareContext(footer: FooterInfo, path: string): PageContext {
  return {
    path,
    user: null,
    theme: 'light',
    flash: [],
    csrfToken: '',
    cartCount: 0,
    footer,
    now: Date.now(),
  }
}
