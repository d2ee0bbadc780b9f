import { html, type SafeHtml } from '../html.js'
import type { DemoUser } from '../user-repository.js'
import { layout, postButton } from './layout.js'
import type { PageContext } from './page-context.js'
import { type SessionList, sessionTable, unavailableNote } from './sessions-page.js'

/** One account on the dashboard, with its sessions (or why they cannot be listed). */
export interface AdminRow {
  user: DemoUser
  sessions: SessionList
}

/** `/admin`: every account and every account's active sessions, with "revoke". */
export function adminPage(ctx: PageContext, view: { rows: readonly AdminRow[] }): SafeHtml {
  const unavailable = view.rows.find((row) => 'unavailable' in row.sessions)
  const body = html`<h1>Admin dashboard</h1>
${unavailable && 'unavailable' in unavailable.sessions && unavailableNote(unavailable.sessions.unavailable)}
<p class="hint">${view.rows.length} accounts. Revoking a session deletes it on the server; that browser is signed out on its next request.</p>
${view.rows.map(
  (row) => html`<section class="card user" data-username="${row.user.username}">
  <h2>${row.user.username} <span class="role role-${row.user.role}">${row.user.role}</span></h2>
  ${
    'sessions' in row.sessions &&
    sessionTable(ctx, row.sessions.sessions, (s) =>
      s.current
        ? html`<span class="this-device">This device</span>`
        : postButton(
            ctx,
            '/admin/revoke',
            'Revoke',
            { userId: row.user.id, handle: s.handle },
            'button danger',
          ),
    )
  }
</section>`,
)}`
  return layout(ctx, 'Admin', body)
}
