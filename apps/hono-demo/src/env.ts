import {
  bareContext,
  type Demo,
  type DemoSession,
  type DemoUser,
  type FormBody,
  type FormOutcome,
  flashMessages,
  type PageContext,
  type SafeHtml,
} from '@tessera/demo-kit'
import type { SessionVariables } from '@tessera/hono'
import type { Context } from 'hono'

/** The app's Hono env: the session from `session()`, and the signed-in account. */
export type AppEnv = {
  Variables: SessionVariables<DemoSession> & {
    /** Loaded from `session.userId` on each request. */
    user: DemoUser | null
  }
}

export type AppContext = Context<AppEnv>

/** The layout's context from `c`: the signed-in user, the session's theme, flash and token. */
export function pageContext(c: AppContext, demo: Demo): PageContext {
  const session = c.var.session
  const user = c.var.user
  return {
    path: c.req.path,
    user: user ? { username: user.username, role: user.role } : null,
    theme: session.get('theme') ?? 'light',
    flash: flashMessages(session.takeAllFlash()),
    csrfToken: session.csrfToken(),
    cartCount: session.get('cart')?.length ?? 0,
    footer: demo.footer,
    now: Date.now(),
  }
}

/** {@link pageContext}, or a bare one when the session never loaded (the store is down). */
export function errorContext(c: AppContext, demo: Demo): PageContext {
  try {
    if (c.get('session')) return pageContext(c, demo)
  } catch {
    // The session is unusable (a failed store call): render without it.
  }
  return bareContext(demo.footer, c.req.path)
}

/** A page response; personal pages are never cached. */
export function page(c: AppContext, html: SafeHtml, status: 200 | 403 | 404 | 500 = 200) {
  c.header('cache-control', 'no-store')
  return c.html(html.value, status)
}

/** The urlencoded form of a POST (the body `csrf()` read was a copy, so it is still there). */
export async function formOf(c: AppContext): Promise<FormBody> {
  return (await c.req.parseBody()) as FormBody
}

/** Flashes a form's outcome and redirects to where it says. */
export function sendOutcome(c: AppContext, outcome: FormOutcome) {
  c.var.session.flash(outcome.flash.kind, outcome.flash.text)
  return c.redirect(outcome.redirect)
}
