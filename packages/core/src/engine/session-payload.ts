import type { CryptoProvider } from '../crypto/crypto-provider.js'
import { SessionDataError } from '../errors.js'
import type { SessionSerializer } from './session-serializer.js'

/** What the engine keeps beside the user's data. Short keys: it is in every payload. */
export interface SessionMeta {
  /** created at (ms) */
  c: number
  /** user id */
  u?: string | null
  /** user agent */
  a?: string | null
  /** CSRF token */
  t?: string
  /** flash messages by key */
  f?: Record<string, unknown[]>
  /** CookieStore only: the session id (there is no store key to carry it) */
  i?: string
  /** CookieStore only: expires at (ms), moved by touches */
  e?: number
}

export interface DecodedPayload {
  meta: SessionMeta
  data: Record<string, unknown>
}

export type DecodeFailure = 'corrupt-payload' | 'undecryptable'

const ENCRYPTED_PREFIX = 'E1.'

/**
 * A payload is `<meta JSON>\n<serialized data>`; JSON never emits a raw newline, so the first
 * one splits them. Encrypted payloads are `E1.<key fingerprint>.<sealed>`, the store key bound
 * in as additional data so a payload copied under another key does not open.
 */
export class PayloadCodec {
  private readonly keyIds: Promise<string[]> | string[]

  constructor(
    private readonly serializer: SessionSerializer,
    private readonly crypto: CryptoProvider,
    private readonly encryptionKeys: readonly string[],
  ) {
    const ids = encryptionKeys.map((key) => crypto.sha256(`tessera-key-id:${key}`))
    this.keyIds = ids.some((id) => typeof id !== 'string')
      ? Promise.all(ids).then((all) => all.map((id) => id.slice(0, 8)))
      : (ids as string[]).map((id) => id.slice(0, 8))
  }

  /** Serialized data of one top-level value, for change detection. */
  serializeValue(value: unknown, key: string): string {
    try {
      return this.serializer.stringify(value) ?? 'undefined'
    } catch (error) {
      throw new SessionDataError(key, error)
    }
  }

  /** The unencrypted payload text. */
  encodePlain(meta: SessionMeta, data: Record<string, unknown>): string {
    let text: string
    try {
      text = this.serializer.stringify(data)
    } catch (error) {
      // Name the key that fails, so the message says what to fix.
      for (const key of Object.keys(data)) this.serializeValue(data[key], key)
      throw new SessionDataError(null, error)
    }
    return `${JSON.stringify(meta)}\n${text}`
  }

  async encode(
    meta: SessionMeta,
    data: Record<string, unknown>,
    storeKey: string,
  ): Promise<string> {
    const plain = this.encodePlain(meta, data)
    if (this.encryptionKeys.length === 0) return plain
    const keyIds = await this.keyIds
    const sealed = await this.crypto.seal(this.encryptionKeys[0] as string, plain, storeKey)
    return `${ENCRYPTED_PREFIX}${keyIds[0]}.${sealed}`
  }

  async decode(payload: string, storeKey: string): Promise<DecodedPayload | DecodeFailure> {
    let plain = payload
    if (payload.startsWith(ENCRYPTED_PREFIX)) {
      const opened = await this.open(payload, storeKey)
      if (opened === null) return 'undecryptable'
      plain = opened
    } else if (this.encryptionKeys.length > 0) {
      // Encryption is on: a plain payload was written before it was, or forged in the store.
      return 'undecryptable'
    }
    return this.decodePlain(plain)
  }

  /**
   * Parses an unencrypted payload; a corrupt one is no session. Keys such as `__proto__` and
   * `constructor` are data like any other: `JSON.parse` makes them own properties at every
   * depth, which can never change a prototype, so what the write path accepted reads back.
   */
  decodePlain(plain: string): DecodedPayload | DecodeFailure {
    const split = plain.indexOf('\n')
    if (split < 0) return 'corrupt-payload'
    try {
      const meta: unknown = JSON.parse(plain.slice(0, split))
      const data: unknown = this.serializer.parse(plain.slice(split + 1))
      if (!isPlainRecord(meta) || typeof meta.c !== 'number' || !isPlainRecord(data)) {
        return 'corrupt-payload'
      }
      if (meta.f !== undefined && !isPlainRecord(meta.f)) return 'corrupt-payload'
      return { meta: meta as unknown as SessionMeta, data }
    } catch {
      return 'corrupt-payload'
    }
  }

  private async open(payload: string, storeKey: string): Promise<string | null> {
    const dot = payload.indexOf('.', ENCRYPTED_PREFIX.length)
    if (dot < 0) return null
    const keyId = payload.slice(ENCRYPTED_PREFIX.length, dot)
    const keyIds = await this.keyIds
    const index = keyIds.indexOf(keyId)
    if (index < 0) return null
    return this.crypto.open(this.encryptionKeys[index] as string, payload.slice(dot + 1), storeKey)
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
