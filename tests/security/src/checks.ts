import type { StoreFixture } from './store-fixtures.js'

/**
 * One check of the security suite: what it proves, where the requirement comes from, and
 * on which stores it does not apply (with the reason, which goes into the skipped test's
 * title). Sources: OWASP Session Management Cheat Sheet (section names as in the sheet),
 * OWASP ASVS 4.0.3 (V3 session management and the chapters named) and ASVS 5.0.0.
 */
export interface SecurityCheck {
  /** `'01'` … `'25'`, with a letter for the parts of one issue item (`'07a'`). */
  readonly id: string
  readonly title: string
  readonly sources: string
  /** The reason the check does not apply to a store, or null when it does. */
  notApplicable?(store: StoreFixture): string | null
}

const serverOnly =
  (reason: string) =>
  (store: StoreFixture): string | null =>
    store.serverSide ? null : reason
const cookieStoreOnly =
  (reason: string) =>
  (store: StoreFixture): string | null =>
    store.serverSide ? reason : null

const NO_SERVER_STATE =
  'CookieStore keeps no server-side record: the cookie is the session (see checks 25a/25b)'
const NO_USER_INDEX = 'CookieStore has no server-side per-user index to list, count or revoke'

export const CHECKS = {
  ids: {
    id: '01',
    title: '1000 fresh ids are unique, 256 bits, base64url, with no shared prefix structure',
    sources:
      'OWASP SM: Session ID Entropy, Session ID Length, Session ID Content; ASVS 4.0 V3.2.2, V3.2.4; ASVS 5.0 V7.2.3',
    notApplicable: serverOnly(
      'the CookieStore cookie is a sealed session, not a bare id (its integrity: checks 04, 25a)',
    ),
  },
  strict: {
    id: '02',
    title: 'strict mode: a well-formed, correctly signed id the store never issued is not adopted',
    sources:
      'OWASP SM: Session ID Generation and Verification: Permissive and Strict Session Management; ASVS 5.0 V7.2.1',
    notApplicable: serverOnly('CookieStore has no store to know ids: the seal is the session'),
  },
  malformed: {
    id: '03',
    title:
      'malformed ids (overlong, ../, quotes, NUL, CRLF, invalid UTF-8, many cookies of one name) are no session and never a 5xx',
    sources:
      'OWASP SM: Manage Session ID as Any Other User Input; ASVS 4.0 V5.1.3; ASVS 5.0 V16.5.3',
  },
  flipped: {
    id: '04',
    title: 'a flipped byte anywhere in the cookie gives a fresh empty session',
    sources:
      'OWASP SM: Manage Session ID as Any Other User Input; ASVS 4.0 V3.5.3; ASVS 5.0 V7.2.1',
  },
  login: {
    id: '05',
    title: 'login rotates the id; replaying the pre-login id is not signed in',
    sources:
      'OWASP SM: Renew the Session ID After Any Privilege Level Change; ASVS 4.0 V3.2.1; ASVS 5.0 V7.2.4',
  },
  privilege: {
    id: '06',
    title: 'a privilege change (role up) and a password change rotate the id; the old id is dead',
    sources:
      'OWASP SM: Renew the Session ID After Any Privilege Level Change, Reauthentication After Risk Events; ASVS 4.0 V3.2.1; ASVS 5.0 V7.2.4',
    notApplicable: serverOnly(NO_SERVER_STATE),
  },
  logoutServer: {
    id: '07a',
    title: 'logout kills the record server-side; the old cookie is refused',
    sources: 'OWASP SM: Manual Session Expiration, Logout Button; ASVS 4.0 V3.3.1; ASVS 5.0 V7.4.1',
    notApplicable: serverOnly(NO_SERVER_STATE),
  },
  logoutCookie: {
    id: '07b',
    title: 'the logout response clears the cookie (Max-Age=0)',
    sources: 'OWASP SM: Manual Session Expiration, Logout Button; ASVS 4.0 V3.3.1; ASVS 5.0 V7.4.1',
  },
  clearSiteData: {
    id: '07c',
    title: 'with `clearSiteData: true` the logout response sends Clear-Site-Data: "cookies"',
    sources: 'OWASP SM: Web Content Caching and Clear-Site-Data; ASVS 5.0 V7.4.1',
  },
  noStore: {
    id: '08',
    title: 'every response that sets the cookie has Cache-Control: no-store',
    sources: 'OWASP SM: Web Content Caching and Clear-Site-Data; ASVS 4.0 V8.2.1; ASVS 5.0 V14.3.2',
  },
  idle: {
    id: '09',
    title:
      'idle timeout enforced server-side: a cookie replayed after the idle period is refused, though its Max-Age has not passed',
    sources:
      'OWASP SM: Automatic Session Expiration, Idle Timeout; ASVS 4.0 V3.3.2; ASVS 5.0 V7.3.1',
  },
  absolute: {
    id: '10',
    title:
      'absolute timeout enforced server-side: a session in constant use ends at the absolute timeout; a replay past it is refused',
    sources:
      'OWASP SM: Automatic Session Expiration, Absolute Timeout; ASVS 4.0 V3.3.2; ASVS 5.0 V7.3.2',
  },
  timeoutWhateverCookie: {
    id: '11',
    title:
      'timeouts hold whatever the cookie says: a browser-session cookie and a cookie kept past its Max-Age are refused, while the store still holds the record',
    sources:
      'OWASP SM: Automatic Session Expiration, Expire and Max-Age Attributes; ASVS 4.0 V3.3.1; ASVS 5.0 V7.4.1',
  },
  attributes: {
    id: '12',
    title:
      'cookie attributes: Secure, HttpOnly, SameSite, Path=/, no Domain by default; Secure withheld on a plain-HTTP non-loopback host; __Host- rules validated at start-up',
    sources:
      'OWASP SM: Secure Attribute, HttpOnly Attribute, SameSite Attribute, Cookie Name Prefixes, Domain and Path Attributes; ASVS 4.0 V3.4.1-V3.4.5; ASVS 5.0 V3.3.1-V3.3.4',
  },
  tooLarge: {
    id: '13',
    title:
      'a session too large for its limit (CookieStore: a cookie over 4096 bytes; server stores: maxSize) is a clean SessionTooLargeError, never a broken response',
    sources: 'OWASP SM: Cookies; ASVS 5.0 V3.3.5, V16.5.3',
  },
  notFromUrl: {
    id: '14',
    title: 'the id is never accepted from the URL, a form field, a JSON body or another header',
    sources:
      'OWASP SM: Used vs. Accepted Session ID Exchange Mechanisms; ASVS 4.0 V3.1.1; ASVS 5.0 V14.2.1',
  },
  notDisclosed: {
    id: '15',
    title:
      'the id never appears in a body, a Location header, an event or a log line the library writes',
    sources:
      'OWASP SM: Session ID Content, Logging Sessions Life Cycle; ASVS 4.0 V3.1.1, V7.1.1; ASVS 5.0 V14.2.1, V16.2.5',
  },
  passwordChange: {
    id: '16',
    title: "a password change signs out the user's other sessions and keeps the current one",
    sources: 'OWASP SM: Reauthentication After Risk Events; ASVS 4.0 V3.3.3; ASVS 5.0 V7.4.3',
    notApplicable: serverOnly(NO_USER_INDEX),
  },
  listRevoke: {
    id: '17',
    title:
      "list and revoke: a revoked session is refused on its next request; another user's handle is not revocable",
    sources: 'OWASP SM: Simultaneous Session Logons; ASVS 4.0 V3.3.4; ASVS 5.0 V7.5.2',
    notApplicable: serverOnly(NO_USER_INDEX),
  },
  disableUser: {
    id: '18',
    title: 'disabling a user revokes all of their sessions (engine API, outside a request)',
    sources: 'OWASP SM: Simultaneous Session Logons; ASVS 5.0 V7.4.2, V7.4.5',
    notApplicable: serverOnly(NO_USER_INDEX),
  },
  maxSessions: {
    id: '19',
    title: 'maxSessionsPerUser: the N+1th login evicts the least recently used session',
    sources: 'OWASP SM: Simultaneous Session Logons; ASVS 5.0 V7.1.2',
    notApplicable: serverOnly(NO_USER_INDEX),
  },
  cacheHeaders: {
    id: '20',
    title:
      'no Set-Cookie for a request that never wrote; Vary: Cookie whenever the session was read',
    sources: 'OWASP SM: Web Content Caching and Clear-Site-Data; ASVS 4.0 V8.1.1; ASVS 5.0 V14.2.2',
  },
  concurrentWrites: {
    id: '21a',
    title: 'concurrent writes to different keys and concurrent updates of one key all survive',
    sources: 'ASVS 4.0 V11.1.6, V1.11.3; ASVS 5.0 V15.4.2',
    notApplicable: serverOnly(
      'CookieStore has no lost-update protection by design: each response carries its own cookie',
    ),
  },
  concurrentRead: {
    id: '21b',
    title: 'a concurrent read-only request undoes nothing (and sets no cookie)',
    sources: 'ASVS 4.0 V11.1.6; ASVS 5.0 V15.4.2',
  },
  resurrection: {
    id: '22',
    title: 'no resurrection: a slow write racing a logout does not revive the session',
    sources: 'ASVS 4.0 V3.3.1, V11.1.6; ASVS 5.0 V7.4.1, V15.4.2',
    notApplicable: serverOnly(NO_SERVER_STATE),
  },
  failedHandler: {
    id: '23',
    title: 'a handler that writes and then fails with a 5xx persists nothing',
    sources: 'ASVS 4.0 V7.4.2; ASVS 5.0 V16.5.3',
  },
  secretRotation: {
    id: '24a',
    title:
      'secret rotation: an old-secret cookie is accepted and re-issued; refused once the secret is removed',
    sources: 'ASVS 4.0 V1.6.3, V6.2.4; ASVS 5.0 V11.2.2',
  },
  keyRotation: {
    id: '24b',
    title:
      'encryption key rotation at rest: an old-key session is accepted and re-encrypted on use; refused once the key is removed',
    sources: 'ASVS 4.0 V1.6.3, V6.2.4; ASVS 5.0 V11.2.2',
  },
  sealedName: {
    id: '25a',
    title:
      'CookieStore: a value copied under another cookie name (or into an id header) is refused',
    sources: 'ASVS 4.0 V3.5.3; ASVS 5.0 V7.2.1',
    notApplicable: cookieStoreOnly(
      'a server-store cookie is a signed reference; its name binding is checks 02 and 14',
    ),
  },
  sealedRevocation: {
    id: '25b',
    title:
      'CookieStore with a server-side revocation list (`revocation: { store }`): replay after logout is refused',
    sources: 'ASVS 4.0 V3.5.3; ASVS 5.0 V7.4.1',
    notApplicable: cookieStoreOnly('server stores delete the record at logout (check 07a)'),
  },
} as const satisfies Record<string, SecurityCheck>

/** `check 05 · <title> [<sources>]`: the title every test of the check carries. */
export function checkTitle(check: SecurityCheck): string {
  return `check ${check.id} · ${check.title} [${check.sources}]`
}
