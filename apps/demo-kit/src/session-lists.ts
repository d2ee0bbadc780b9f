import type { ActiveSession, SessionEngine } from '@tessera/core'
import type { UserRepository } from './user-repository.js'
import type { AdminRow } from './views/admin-page.js'
import type { SessionList } from './views/sessions-page.js'

/**
 * What the admin page needs of an adapter's engine (`session(...).engine`): listing and
 * revoking any user's sessions.
 */
export type SessionAdmin = Pick<SessionEngine, 'listUserSessions' | 'revokeSession'>

/**
 * Runs a per-user listing; a store without a per-user index (CookieStore) becomes the
 * explanation the pages show instead of a 500.
 */
export async function sessionList(list: () => Promise<ActiveSession[]>): Promise<SessionList> {
  try {
    return { sessions: await list() }
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'SESSION_FEATURE_UNSUPPORTED') {
      return { unavailable: (error as Error).message }
    }
    throw error
  }
}

/**
 * The admin dashboard's rows: every account with its live sessions. The admin's own
 * sessions come from `ownSessions` (the request's `session.listSessions()`), which marks
 * "this device".
 */
export async function adminRows(
  users: UserRepository,
  engine: Pick<SessionAdmin, 'listUserSessions'>,
  own: { userId: string; listSessions(): Promise<ActiveSession[]> },
): Promise<AdminRow[]> {
  const rows: AdminRow[] = []
  for (const user of await users.list()) {
    const sessions = await sessionList(() =>
      user.id === own.userId ? own.listSessions() : engine.listUserSessions(user.id),
    )
    rows.push({ user, sessions })
  }
  return rows
}

/**
 * `session.revokeOtherSessions()`, or null when the store cannot (CookieStore: each session
 * lives only in its cookie, so other browsers stay signed in until their timeout).
 */
export async function revokeOtherSessions(session: {
  revokeOtherSessions(): Promise<number>
}): Promise<number | null> {
  try {
    return await session.revokeOtherSessions()
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'SESSION_FEATURE_UNSUPPORTED') return null
    throw error
  }
}

/** The flash message after a password change that signed out `count` other sessions. */
export function passwordChangedMessage(count: number | null): string {
  return count === null
    ? 'Password changed. With CookieStore your other sessions cannot be signed out from here: they end at their timeout.'
    : `Password changed; ${count} other session(s) signed out.`
}
