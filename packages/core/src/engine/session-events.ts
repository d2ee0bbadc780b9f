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
  invalid: { reason: InvalidSessionReason; key?: string }
}

export type SessionEventName = keyof SessionEvents
export type SessionEventListener<E extends SessionEventName> = (event: SessionEvents[E]) => void
