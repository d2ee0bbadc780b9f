import type { DecodedPayload, PayloadCodec, SessionMeta } from '../engine/session-payload.js'
import { ChangeLog } from './change-log.js'

export const MAX_USER_AGENT = 256
/** Longer than any IPv6 address with a zone. */
const MAX_IP = 64

/** A stored session that is live and decodes, as a backend's read finds it. */
export interface LiveSession extends DecodedPayload {
  version: number
  expiresAt: number
}

/**
 * One request's session as the backends see it: which id and record it is, its data and
 * metadata, what changed, and what the commit still owes (a stale record to delete, a login
 * to index, an id the response must carry). The request's {@link RequestSessionState} drives
 * it; a {@link SessionBackend} loads and persists it.
 */
export class SessionState {
  id: string | null = null
  /** The store key (server store) or the id (sealed cookie). */
  key: string | null = null
  /** Version and expiry of the stored record; null while nothing is stored for this session. */
  stored: { version: number; expiresAt: number } | null = null
  meta: SessionMeta
  data: Record<string, unknown> = {}
  readonly changes: ChangeLog
  /** `touch()` was called: the expiry moves at commit even if no touch is due. */
  touchRequested = false
  /** The response must carry the id: new, re-signed, expiry moved, or resealed. */
  deliverId = false
  /** `login()` ran: once the record exists, index it and enforce `maxSessionsPerUser`. */
  loginPending = false
  /** The record a `regenerate()` or `login()` replaced, named in the `regenerated` event. */
  replacedKey: string | null = null
  /** The id is older than `rotation.every`: the commit replaces it. */
  rotationDue = false
  /** A dead record the presented id led to (expired, corrupt): deleted at commit. */
  staleKey: string | null = null
  /** A stored session ended in this request (destroyed, emptied, revoked, found gone). */
  ended = false

  constructor(
    private readonly now: () => number,
    private readonly userAgent: string | null | undefined,
    codec: PayloadCodec,
    /** With `trackIp`: the client IP, stored with a new session. */
    private readonly clientIp?: () => string | null | undefined,
  ) {
    this.meta = this.freshMeta()
    this.changes = new ChangeLog(codec)
  }

  get userId(): string | null {
    return this.meta.u ?? null
  }

  /** Takes over a live stored session. */
  adopt(id: string, key: string, live: LiveSession): void {
    this.id = id
    this.key = key
    this.stored = { version: live.version, expiresAt: live.expiresAt }
    this.meta = live.meta
    this.data = live.data
  }

  /** An empty new session: after destroy, logout, revocation, or a record found gone. */
  becomeEmpty(): void {
    if (this.stored) this.ended = true
    this.id = null
    this.key = null
    this.stored = null
    this.data = {}
    this.meta = this.freshMeta()
    this.changes.reset()
    this.rotationDue = false
  }

  /** Whether there is anything worth storing: data, a signed-in user, a CSRF token, flash. */
  hasContent(): boolean {
    for (const _ in this.data) return true
    const meta = this.meta
    if (meta.u || meta.t) return true
    if (meta.f) for (const _ in meta.f) return true
    return false
  }

  freshMeta(): SessionMeta {
    const meta: SessionMeta = { c: this.now() }
    const agent = this.userAgent
    if (typeof agent === 'string' && agent.length > 0) meta.a = agent.slice(0, MAX_USER_AGENT)
    const ip = this.clientIp?.()
    if (typeof ip === 'string' && ip.length > 0) meta.p = ip.slice(0, MAX_IP)
    return meta
  }
}
