import type { CryptoProvider } from '../crypto/crypto-provider.js'
import { isPromise, type MaybePromise } from '../crypto/maybe-promise.js'

/**
 * What a rotated session leaves under its old key: a pointer to its successor, holding no
 * data. The successor's id is sealed (AES-256-GCM) under a key derived from the engine's
 * secret, with the old key bound in as additional data: a store dump reveals no usable id
 * (as the store keeps every id hashed), and a pointer copied under another key does not open.
 */
export interface RetiredId {
  /** The successor's id. */
  successorId: string
  /** The session's user when it was rotated (for the `reuse` event and `revokeUser`). */
  userId: string | null
  /** Until when (ms) the old id still leads to the successor. */
  graceUntil: number
}

const PREFIX = 'R1.'

/** Whether a stored payload is a retired id's pointer rather than a session. */
export function isRetiredPayload(payload: string): boolean {
  return payload.startsWith(PREFIX)
}

/** The sealing key for `secret` (one per configured secret, so the providers' caches stay small). */
const sealingKey = (secret: string) => `tessera-retired-id:${secret}`

export function sealRetiredId(
  crypto: CryptoProvider,
  secrets: readonly string[],
  oldKey: string,
  pointer: RetiredId,
): MaybePromise<string> {
  const plain = JSON.stringify({ s: pointer.successorId, u: pointer.userId, g: pointer.graceUntil })
  const sealed = crypto.seal(sealingKey(secrets[0] as string), plain, oldKey)
  return isPromise(sealed) ? sealed.then((text) => PREFIX + text) : PREFIX + sealed
}

/** The pointer, or null when it opens under none of the secrets (tampered, or moved). */
export async function openRetiredId(
  crypto: CryptoProvider,
  secrets: readonly string[],
  oldKey: string,
  payload: string,
): Promise<RetiredId | null> {
  let plain: string | null = null
  for (const secret of secrets) {
    plain = await crypto.open(sealingKey(secret), payload.slice(PREFIX.length), oldKey)
    if (plain !== null) break
  }
  if (plain === null) return null
  try {
    const { s, u, g } = JSON.parse(plain) as { s: unknown; u: unknown; g: unknown }
    if (typeof s !== 'string' || typeof g !== 'number') return null
    return { successorId: s, userId: typeof u === 'string' ? u : null, graceUntil: g }
  } catch {
    return null
  }
}
