/** Why an incoming id did not lead to a session. */
export type InvalidSessionReason =
  | 'bad-signature'
  | 'malformed'
  | 'unknown-id'
  | 'corrupt-payload'
  | 'undecryptable'
  | 'revoked'

/**
 * Events for auditing. `key` is the store key (a hash of the id): safe to log, useless as
 * a cookie.
 */
export interface SessionEvents {
  created: { key: string; userId: string | null }
  regenerated: { previousKey: string; key: string; userId: string | null }
  destroyed: {
    /** `'*'` when the store removed all of a user's sessions in one call (`destroyByUser`). */
    key: string
    userId: string | null
    reason: 'destroy' | 'logout' | 'emptied' | 'revoked' | 'evicted'
  }
  expired: { key: string; reason: 'idle' | 'absolute' }
  conflict: { key: string; attempt: number }
  /** The id was replaced on the rotation timer; `previousKey` leads here during the grace window. */
  rotated: { previousKey: string; key: string; userId: string | null }
  /**
   * A retired id came back after its grace window: possible theft. `revoked` says whether the
   * session it led to was ended (`rotation.onReuse: 'revoke'`).
   */
  reuse: { key: string; userId: string | null; revoked: boolean }
  /**
   * A request did not match what its session was created with (`binding`): `rejected` says
   * whether the request was given no session.
   */
  binding: { key: string; userId: string | null; attribute: 'userAgent' | 'ip'; rejected: boolean }
  invalid: { reason: InvalidSessionReason; key?: string }
}

export type SessionEventName = keyof SessionEvents
export type SessionEventListener<E extends SessionEventName> = (event: SessionEvents[E]) => void
