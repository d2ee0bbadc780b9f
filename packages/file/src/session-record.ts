import type { StoredSession } from '@tessera/core'
import type { RecordHead } from './session-file.js'

/** What a session's lock holder leaves behind: its version and expiry, or `null` (none). */
export type RecordState = Pick<StoredSession, 'version' | 'expiresAt'> | null

export function isLive(state: Pick<StoredSession, 'expiresAt'>): boolean {
  return state.expiresAt > Date.now()
}

/** Whether a conditional write expecting `expected` loses against `state`. */
export function refuses(state: RecordState, expected: number | null): boolean {
  const live = state !== null && isLive(state)
  return expected === null ? live : !live || state.version !== expected
}

export function toSession(head: RecordHead, bytes: Buffer): StoredSession {
  return {
    payload: bytes.toString('utf8', head.payloadAt),
    version: head.version,
    expiresAt: head.expiresAt,
    userId: head.userId,
  }
}

export function checkExpiry(expiresAt: number): void {
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
    throw new TypeError(`Session expiresAt must be a finite number; got ${String(expiresAt)}.`)
  }
}

export function checkRecord(record: StoredSession): void {
  if (typeof record?.payload !== 'string') {
    throw new TypeError(`Session payload must be a string; got ${typeof record?.payload}.`)
  }
  if (!Number.isSafeInteger(record.version)) {
    throw new TypeError(`Session version must be a safe integer; got ${String(record.version)}.`)
  }
  checkExpiry(record.expiresAt)
  const userId = record.userId ?? null
  if (userId !== null && typeof userId !== 'string') {
    throw new TypeError(`Session userId must be a string or null; got ${typeof userId}.`)
  }
}
