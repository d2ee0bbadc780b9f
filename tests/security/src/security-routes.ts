import type { Session, SessionData } from '@tessera/core'

/** What a route sees of its request, whatever the framework. */
export interface RouteInput {
  query: URLSearchParams
  /** The request's session, read through the framework's own accessor at call time. */
  session(): Session<SessionData>
}

/** What a route answers; each framework turns it into its own response. */
export type RouteOutput =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'redirect'; location: string }

export interface SecurityRoute {
  method: 'GET' | 'POST' | 'ALL'
  path: string
  handle(input: RouteInput): Promise<RouteOutput>
}

/** Thrown by `/throw`: a handler that fails after writing to the session. */
export class HandlerFailure extends Error {
  constructor() {
    super('the handler failed after writing to the session (test route /throw)')
    this.name = 'HandlerFailure'
  }
}

const json = (body: unknown = { ok: true }, status = 200): RouteOutput => ({
  kind: 'json',
  status,
  body,
})

/** Waits `?delay=` ms (default none): lets a test overlap requests deterministically. */
function pause(query: URLSearchParams): Promise<void> {
  const ms = Number(query.get('delay') ?? 0)
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}

const param = (query: URLSearchParams, name: string): string => query.get(name) ?? ''

/**
 * The routes every security app serves, written once against the core {@link Session}
 * (each framework's accessor hands out that same API). No route ever puts the session id
 * in a body or a header of its own: check 15 looks for it in everything the app sends.
 *
 * - `GET  /noop`                never touches the session
 * - `ALL  /read?delay=`         reads `{ userId, data }`, waits `delay` ms, answers
 * - `GET  /keys`                reads `{ userId, keys }` without echoing values (for hostile data)
 * - `POST /set?key&value&delay` waits `delay` ms (the session is already loaded), then sets
 * - `POST /inc?key`             `update(key, n => n + 1)`
 * - `POST /login?user`          `login(user)`
 * - `POST /role?role`           privilege change: new id (data kept), then `role` set
 * - `POST /password`            password change: other sessions revoked, new id, data kept
 * - `POST /logout`              `logout()`
 * - `GET  /sessions`            the user's sessions: `{ sessions: [{ handle, current }] }`
 * - `POST /revoke?handle`       `revokeSession(handle)`: `{ revoked }`
 * - `GET  /redirect`            sets `flag`, then 302 to `/read`
 * - `GET  /boom`                sets `lost`, then answers 500
 * - `GET  /throw`               sets `lost`, then throws ({@link HandlerFailure})
 * - `POST /big?bytes`           sets `big` to a string of `bytes` characters
 */
export const securityRoutes: readonly SecurityRoute[] = [
  { method: 'GET', path: '/noop', handle: async () => json() },
  {
    method: 'ALL',
    path: '/read',
    async handle({ query, session }) {
      const s = session()
      const body = { userId: s.userId, data: s.all() }
      await pause(query)
      return json(body)
    },
  },
  {
    method: 'GET',
    path: '/keys',
    async handle({ session }) {
      const s = session()
      return json({ userId: typeof s.userId === 'string' ? s.userId : null, keys: s.keys() })
    },
  },
  {
    method: 'POST',
    path: '/set',
    async handle({ query, session }) {
      await pause(query)
      session().set(param(query, 'key'), param(query, 'value'))
      return json()
    },
  },
  {
    method: 'POST',
    path: '/inc',
    async handle({ query, session }) {
      const value = session().update(
        param(query, 'key'),
        (n) => (typeof n === 'number' ? n : 0) + 1,
      )
      return json({ value })
    },
  },
  {
    method: 'POST',
    path: '/login',
    async handle({ query, session }) {
      await session().login(param(query, 'user'))
      return json()
    },
  },
  {
    method: 'POST',
    path: '/role',
    async handle({ query, session }) {
      await session().regenerate({ keepData: true })
      session().set('role', param(query, 'role'))
      return json()
    },
  },
  {
    method: 'POST',
    path: '/password',
    async handle({ session }) {
      const revoked = await session().revokeOtherSessions()
      await session().regenerate({ keepData: true })
      session().update('passwordVersion', (n) => (typeof n === 'number' ? n : 0) + 1)
      return json({ revoked })
    },
  },
  {
    method: 'POST',
    path: '/logout',
    async handle({ session }) {
      await session().logout()
      return json()
    },
  },
  {
    method: 'GET',
    path: '/sessions',
    async handle({ session }) {
      const sessions = await session().listSessions()
      return json({ sessions: sessions.map(({ handle, current }) => ({ handle, current })) })
    },
  },
  {
    method: 'POST',
    path: '/revoke',
    async handle({ query, session }) {
      return json({ revoked: await session().revokeSession(param(query, 'handle')) })
    },
  },
  {
    method: 'GET',
    path: '/redirect',
    async handle({ session }) {
      session().set('flag', 'redirected')
      return { kind: 'redirect', location: '/read' }
    },
  },
  {
    method: 'GET',
    path: '/boom',
    async handle({ session }) {
      session().set('lost', 'yes')
      return json({ error: 'boom' }, 500)
    },
  },
  {
    method: 'GET',
    path: '/throw',
    async handle({ session }) {
      session().set('lost', 'yes')
      throw new HandlerFailure()
    },
  },
  {
    method: 'POST',
    path: '/big',
    async handle({ query, session }) {
      session().set('big', 'x'.repeat(Number(query.get('bytes') ?? 0)))
      return json()
    },
  },
]
