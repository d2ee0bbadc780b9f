import type { CryptoProvider } from './crypto-provider.js'
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

export type DecodeFailure = 'corrupt-payload' | 'undecryptable' | 'prototype-pollution'

const ENCRYPTED_PREFIX = 'E1.'
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor'])

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
  serializeValue(value: unknown): string {
    return this.serializer.stringify(value) ?? 'undefined'
  }

  /** The unencrypted payload text. */
  encodePlain(meta: SessionMeta, data: Record<string, unknown>): string {
    return `${JSON.stringify(meta)}\n${this.serializer.stringify(data)}`
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

  /** Parses an unencrypted payload, refusing corrupt and prototype-polluting ones. */
  decodePlain(plain: string): DecodedPayload | DecodeFailure {
    const split = plain.indexOf('\n')
    if (split < 0) return 'corrupt-payload'
    if (mayHideForbiddenKey(plain)) {
      if (
        hasForbiddenKey(plain.slice(0, split)) ||
        hasForbiddenKey(plain.slice(split + 1), this.serializer)
      ) {
        return 'prototype-pollution'
      }
    }
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

/** Cheap screen: only payloads that could name a forbidden key get the full walk. */
function mayHideForbiddenKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || text.includes('\\u')
}

function hasForbiddenKey(text: string, serializer?: SessionSerializer): boolean {
  let found = false
  try {
    if (serializer) {
      found = walkForForbiddenKey(serializer.parse(text), 0)
    } else {
      JSON.parse(text, (key, value) => {
        if (FORBIDDEN_KEYS.has(key)) found = true
        return value
      })
    }
  } catch {
    return false // a parse error is reported as a corrupt payload by the caller
  }
  return found
}

function walkForForbiddenKey(value: unknown, depth: number): boolean {
  if (depth > 64 || value === null || typeof value !== 'object') return false
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return true
    if (walkForForbiddenKey((value as Record<string, unknown>)[key], depth + 1)) return true
  }
  return false
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
