import {
  bareContext,
  type Demo,
  type FormOutcome,
  flashMessages,
  type PageContext,
  type SafeHtml,
} from '@tessera/demo-kit'
import type { Request, Response } from 'express'

/** The layout's context from the request: passport's user, the session's theme, flash and token. */
export function pageContext(req: Request, demo: Demo): PageContext {
  return {
    path: req.path,
    user: req.user ? { username: req.user.username, role: req.user.role } : null,
    theme: req.session.theme ?? 'light',
    // connect-flash's API, as passport's failureFlash writes it (`req.flash('error', …)`).
    flash: flashMessages({ info: req.flash('info'), error: req.flash('error') }),
    csrfToken: req.csrfToken(),
    cartCount: req.session.cart?.length ?? 0,
    footer: demo.footer,
    now: Date.now(),
  }
}

/** {@link pageContext}, or a bare one when the session never loaded (store down). */
export function errorContext(req: Request, demo: Demo): PageContext {
  try {
    if (req.session && typeof req.csrfToken === 'function') return pageContext(req, demo)
  } catch {
    // The session is unusable (a failed store call): render without it.
  }
  return bareContext(demo.footer, req.path)
}

/** Sends a page; personal pages are never cached. */
export function sendPage(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).set('cache-control', 'no-store').type('html').send(page.value)
}

/** Flashes a form's outcome (connect-flash style) and redirects to where it says. */
export function sendOutcome(req: Request, res: Response, outcome: FormOutcome): void {
  req.flash(outcome.flash.kind, outcome.flash.text)
  res.redirect(outcome.redirect)
}
