import { html, type SafeHtml } from '../html.js'
import { layout } from './layout.js'
import type { PageContext } from './page-context.js'

/** The text of the error pages the demos answer with, by status. */
export const ERROR_PAGES: Readonly<Record<number, { title: string; message: string }>> = {
  400: { title: 'Bad request', message: 'The demo could not read that request.' },
  403: {
    title: 'Forbidden',
    message: 'You do not have access to this page.',
  },
  404: { title: 'Not found', message: 'There is no page at this address.' },
  413: { title: 'Form too large', message: 'The form sent more data than the demo accepts.' },
  500: {
    title: 'Something went wrong',
    message: 'The demo hit an unexpected error; see its console.',
  },
  501: {
    title: 'Not available with this store',
    message: 'This needs a server-side session store.',
  },
  503: {
    title: 'Session store unavailable',
    message:
      'The session store did not answer. Try again in a moment; the demo recovers by itself when the store is back.',
  },
}

/** The message of the 403 page for a form that came without the right CSRF token. */
export const CSRF_REFUSED =
  'This form was sent without the right security token (CSRF), so it was refused. Reload the page and try again.'

/** An error page: 403 (not an admin, or a form without its CSRF token), 404, 501, 503, 500. */
export function errorPage(ctx: PageContext, status: number, message?: string): SafeHtml {
  const page = ERROR_PAGES[status] ?? ERROR_PAGES[500]!
  const body = html`<h1 id="error-status">${status} · ${page.title}</h1>
<section class="card">
  <p id="error-message">${message ?? page.message}</p>
  <p><a href="/">Back to the home page</a></p>
</section>`
  return layout(ctx, `${status} ${page.title}`, body)
}

/**
 * The status an error is answered with: its own `status` (403 for a bad CSRF token, 503 for a
 * store outage, 413 for a large form…), 501 for a per-user feature the store cannot offer
 * (CookieStore), else 500.
 */
export function errorStatus(error: unknown): number {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown }
  if (code === 'SESSION_FEATURE_UNSUPPORTED') return 501
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500
}

/** The message an error page shows for `error`, when it is more precise than the status's. */
export function errorMessage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code === 'CSRF_TOKEN_INVALID') return CSRF_REFUSED
  if (code === 'SESSION_FEATURE_UNSUPPORTED' && typeof message === 'string') return message
  return undefined
}

/** Logs what the operator should see: the stack of an unexpected error, one line for an outage. */
export function logError(error: unknown): void {
  const status = errorStatus(error)
  if (status === 500) console.error(error)
  else if (status === 503) console.warn(`503: ${(error as Error).message}`)
}
