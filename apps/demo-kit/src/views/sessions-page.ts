import type { ActiveSession } from '@tessera/core'
import { html, type SafeHtml } from '../html.js'
import { describeUserAgent, relativeTime } from './format.js'
import { layout, postButton } from './layout.js'
import type { PageContext } from './page-context.js'

/**
 * A user's sessions, or why they cannot be listed: CookieStore keeps no server-side record,
 * so there is nothing to list or revoke.
 */
export type SessionList = { sessions: readonly ActiveSession[] } | { unavailable: string }

/** `/sessions`: the signed-in user's sessions, with "revoke" and "sign out everywhere else". */
export function sessionsPage(ctx: PageContext, view: SessionList): SafeHtml {
  let content: SafeHtml
  if ('unavailable' in view) {
    content = unavailableNote(view.unavailable)
  } else {
    const others = view.sessions.filter((s) => !s.current).length
    content = html`${sessionTable(ctx, view.sessions, (s) =>
      s.current
        ? html`<span class="this-device">This device</span>`
        : postButton(ctx, '/sessions/revoke', 'Revoke', { handle: s.handle }, 'button danger'),
    )}
<p>${postButton(ctx, '/sessions/revoke-others', 'Sign out everywhere else', {}, others > 0 ? 'button danger' : 'button')}</p>`
  }
  const body = html`<h1>Your active sessions</h1>
<section class="card">
  <p class="hint">Every browser signed in to your account. Revoking one deletes its session on the server: its next request is signed out.</p>
  ${content}
</section>`
  return layout(ctx, 'Your sessions', body)
}

/** The explanation shown instead of a session list under CookieStore. */
export function unavailableNote(reason: string): SafeHtml {
  return html`<div class="note" id="sessions-unavailable"><p><strong>Listing and revoking sessions needs a server-side store.</strong>
With <code>SESSION_STORE=cookie:</code> each session lives only in its browser's cookie, so the server keeps no list to show or revoke from.
Start the demo with the default SQLite store, <code>memory:</code>, <code>redis://…</code>, <code>postgres://…</code> or <code>mysql://…</code> to see it.</p>
<p class="hint">${reason}</p></div>`
}

/** A table of sessions; `action` renders the last column of each row. */
export function sessionTable(
  ctx: PageContext,
  sessions: readonly ActiveSession[],
  action: (session: ActiveSession) => SafeHtml,
): SafeHtml {
  if (sessions.length === 0) return html`<p class="hint">No active sessions.</p>`
  return html`<table class="sessions">
  <thead><tr><th>Browser</th><th>Started</th><th>Last seen</th><th></th></tr></thead>
  <tbody>
  ${[...sessions]
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
    .map(
      (s) =>
        html`<tr class="session${s.current ? ' current' : ''}" data-handle="${s.handle}">
    <td title="${s.userAgent ?? ''}">${describeUserAgent(s.userAgent)}</td>
    <td><time datetime="${new Date(s.createdAt).toISOString()}">${relativeTime(s.createdAt, ctx.now)}</time></td>
    <td><time datetime="${new Date(s.lastSeenAt).toISOString()}">${relativeTime(s.lastSeenAt, ctx.now)}</time></td>
    <td>${action(s)}</td>
  </tr>`,
    )}
  </tbody>
</table>`
}
