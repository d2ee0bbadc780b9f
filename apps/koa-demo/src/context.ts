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
import type { SessionContext } from '@tessera/koa'
import type { Context } from 'koa'

// Types ctx.session and ctx.state.user in every middleware and router of the app.
declare module 'koa' {
  interface DefaultContext extends SessionContext<DemoSession> {}
  interface DefaultState {
    /** The signed-in account, loaded from `ctx.session.userId` on each request. */
    user?: DemoUser | null
  }
}

/** The layout's context from `ctx`: the signed-in user, the session's theme, flash and token. */
export function pageContext(ctx: Context, demo: Demo): PageContext {
  const { user } = ctx.state
  return {
    path: ctx.path,
    user: user ? { username: user.username, role: user.role } : null,
    theme: ctx.session.theme ?? 'light',
    flash: flashMessages(ctx.session.takeAllFlash()),
    csrfToken: ctx.session.csrfToken(),
    cartCount: ctx.session.cart?.length ?? 0,
    footer: demo.footer,
    now: Date.now(),
  }
}

/** A bare context, for the error pages answered before or after the session's lifetime. */
export function barePageContext(ctx: Context, demo: Demo): PageContext {
  return bareContext(demo.footer, ctx.path)
}

/** Answers with a page; personal pages are never cached. */
export function sendPage(ctx: Context, page: SafeHtml, status = 200): void {
  ctx.status = status
  ctx.type = 'html'
  ctx.set('cache-control', 'no-store')
  ctx.body = page.value
}

/** The parsed urlencoded form (@koa/bodyparser puts it on `ctx.request.body`). */
export function formOf(ctx: Context): FormBody {
  const body: unknown = (ctx.request as { body?: unknown }).body
  return typeof body === 'object' && body !== null ? (body as FormBody) : {}
}

/** Flashes a form's outcome and redirects to where it says. */
export function sendOutcome(ctx: Context, outcome: FormOutcome): void {
  ctx.session.flash(outcome.flash.kind, outcome.flash.text)
  ctx.redirect(outcome.redirect)
}
