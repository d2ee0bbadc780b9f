import type { Session } from './session.js'

/**
 * Every member of {@link Session}, in one list: adapters that expose session data as
 * properties (Express's `req.session.views`, Koa's `ctx.session.views`) route these names to
 * the session API and every other name to the data. The compiler checks the list against the
 * `Session` type, so a member added there cannot be forgotten here.
 */
export const SESSION_MEMBERS = [
  'id',
  'isNew',
  'userId',
  'createdAt',
  'get',
  'set',
  'delete',
  'has',
  'update',
  'keys',
  'all',
  'clear',
  'regenerate',
  'destroy',
  'login',
  'authenticatedAt',
  'isFresh',
  'reauthenticated',
  'setLifetime',
  'lifetime',
  'logout',
  'reload',
  'save',
  'exclusive',
  'touch',
  'flash',
  'takeFlash',
  'takeAllFlash',
  'csrfToken',
  'verifyCsrfToken',
  'listSessions',
  'revokeSession',
  'revokeOtherSessions',
  'revokeAllSessions',
] as const satisfies ReadonlyArray<keyof Session>

/** A name in {@link SESSION_MEMBERS}. */
export type SessionMember = (typeof SESSION_MEMBERS)[number]

type AssertNoneMissing<Missing extends never> = Missing
/** Compiles only while {@link SESSION_MEMBERS} lists every member of {@link Session}. */
export type SessionMembersListed = AssertNoneMissing<Exclude<keyof Session, SessionMember>>

/**
 * The members of {@link SESSION_MEMBERS} that are properties rather than methods (checked
 * against the `Session` type at compile time, both ways): adapters that wrap the session read
 * these live and wrap the rest as methods.
 */
export const SESSION_PROPERTIES = [
  'id',
  'isNew',
  'userId',
  'createdAt',
  'authenticatedAt',
  'lifetime',
] as const satisfies ReadonlyArray<SessionMember>

type PropertyMember = {
  [K in SessionMember]: Session[K] extends (...args: never[]) => unknown ? never : K
}[SessionMember]
type AssertSame<A extends B, B> = A
/** Compiles only while {@link SESSION_PROPERTIES} lists exactly the non-method members. */
export type SessionPropertiesListed = AssertSame<
  PropertyMember,
  (typeof SESSION_PROPERTIES)[number]
> &
  AssertSame<(typeof SESSION_PROPERTIES)[number], PropertyMember>
