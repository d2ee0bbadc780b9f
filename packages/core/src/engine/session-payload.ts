import type { CryptoProvider, MaybePromise } from '../crypto/crypto-provider.js'
import { isPromise } from '../crypto/maybe-promise.js'
import { SessionDataError } from '../errors.js'
import { RecentlyOpened } from './recently-opened.js'
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
  /** This session's own lifetime (`setLifetime()`, remember-me), where it differs from the engine's */
  l?: SessionLifetimeMeta
  /** authenticated at (ms): set by `login()` and `reauthenticated()` */
  z?: number
  /** The id was last replaced at (ms), by rotation or regeneration */
  r?: number
  /** `trackIp`: the client IP at creation */
  p?: string
  /** `trackIp`: the client IP last seen, where it differs from `p` */
  q?: string
}

/** A per-session lifetime as stored: idle ms, absolute ms (`null`: none), persistent cookie. */
export interface SessionLifetimeMeta {
  i?: number
  a?: number | null
  p?: boolean
}

export interface DecodedPayload {
  meta: SessionMeta
  data: Record<string, unknown>
  /** Opened with an older encryption key: the next commit re-encrypts it with the newest. */
  staleKey?: boolean
}

/**
 * Deepest nesting a payload may have. Deeper data cannot be written again (the serializer
 * runs out of stack), so a stored payload that deep is corrupt, and a write that deep fails.
 */
export const MAX_NESTING = 1000
/** Longest user id a session carries (`login()` refuses longer ones). */
export const MAX_USER_ID_LENGTH = 1024

export type DecodeFailure = 'corrupt-payload' | 'undecryptable'

const ENCRYPTED_PREFIX = 'E1.'
/** Characters of encrypted payloads and their plaintext kept in memory (about 8 MB). */
const OPENED_PAYLOAD_CHARS = 4_000_000

/** An encrypted payload that opened (or was written): its plaintext and which key opens it. */
interface OpenedPayload {
  payload: string
  plain: string
  keyIndex: number
}

/**
 * A payload is `<meta JSON>\n<serialized data>`; JSON never emits a raw newline, so the first
 * one splits them. Encrypted payloads are `E1.<key fingerprint>.<sealed>`, the store key bound
 * in as additional data so a payload copied under another key does not open.
 */
export class PayloadCodec {
  private keyIds: Promise<string[]> | string[]
  /**
   * The last encrypted payload read or written under each store key, with its plaintext,
   * oldest first: a session read by request after request is decrypted once. One entry per
   * session (a write replaces it), bounded by characters, not entries. Keyed by store key, the
   * key bound into the seal, so a payload copied under another key never matches.
   */
  private readonly opened = new RecentlyOpened<OpenedPayload>(OPENED_PAYLOAD_CHARS, sizeOf)

  constructor(
    private readonly serializer: SessionSerializer,
    private readonly crypto: CryptoProvider,
    private readonly encryptionKeys: readonly string[],
  ) {
    const ids = encryptionKeys.map((key) => crypto.sha256(`tessera-key-id:${key}`))
    this.keyIds = ids.some((id) => typeof id !== 'string')
      ? Promise.all(ids).then((all) => {
          this.keyIds = all.map((id) => id.slice(0, 8))
          return this.keyIds
        })
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
    if (tooDeep(text)) {
      throw new SessionDataError(null, new RangeError(`nested deeper than ${MAX_NESTING} levels`))
    }
    return `${JSON.stringify(meta)}\n${text}`
  }

  /** The stored payload; synchronous unless it is encrypted (as `decode`). */
  encode(meta: SessionMeta, data: Record<string, unknown>, storeKey: string): MaybePromise<string> {
    const plain = this.encodePlain(meta, data)
    if (this.encryptionKeys.length === 0) return plain
    return this.seal(plain, storeKey)
  }

  /** Synchronous under a synchronous provider, once the key ids are known. */
  private seal(plain: string, storeKey: string): MaybePromise<string> {
    const keyIds = this.keyIds
    if (isPromise(keyIds)) return keyIds.then(() => this.seal(plain, storeKey))
    const sealed = this.crypto.seal(this.encryptionKeys[0] as string, plain, storeKey)
    const done = (value: string) => {
      const payload = `${ENCRYPTED_PREFIX}${keyIds[0]}.${value}`
      // What is written is read next: known, so not decrypted again.
      this.opened.set(storeKey, { payload, plain, keyIndex: 0 })
      return payload
    }
    return isPromise(sealed) ? sealed.then(done) : done(sealed)
  }

  /** Decodes a stored payload; synchronous unless it is encrypted (and the crypto is async). */
  decode(payload: string, storeKey: string): MaybePromise<DecodedPayload | DecodeFailure> {
    if (!payload.startsWith(ENCRYPTED_PREFIX)) {
      // Encryption is on: a plain payload was written before it was, or forged in the store.
      return this.encryptionKeys.length > 0 ? 'undecryptable' : this.decodePlain(payload)
    }
    const known = this.opened.get(storeKey)
    if (known !== undefined && known.payload === payload) return this.decodeOpened(known)
    const opened = this.open(payload, storeKey)
    return isPromise(opened)
      ? opened.then((value) => this.decodeOpened(value))
      : this.decodeOpened(opened)
  }

  private decodeOpened(opened: OpenedPayload | null): DecodedPayload | DecodeFailure {
    if (opened === null) return 'undecryptable'
    const decoded = this.decodePlain(opened.plain)
    if (typeof decoded !== 'string' && opened.keyIndex > 0) decoded.staleKey = true
    return decoded
  }

  /**
   * Parses an unencrypted payload; a corrupt one is no session. Keys such as `__proto__` and
   * `constructor` are data like any other: `JSON.parse` makes them own properties at every
   * depth, which can never change a prototype, so what the write path accepted reads back.
   */
  decodePlain(plain: string): DecodedPayload | DecodeFailure {
    const split = plain.indexOf('\n')
    if (split < 0) return 'corrupt-payload'
    // Data the engine could not write again is corrupt (a hostile or foreign payload).
    if (tooDeep(plain)) return 'corrupt-payload'
    try {
      const meta: unknown = JSON.parse(plain.slice(0, split))
      const data: unknown = this.serializer.parse(plain.slice(split + 1))
      if (!isPlainRecord(meta) || !isPlainRecord(data) || !isValidMeta(meta)) {
        return 'corrupt-payload'
      }
      return { meta: meta as unknown as SessionMeta, data }
    } catch {
      return 'corrupt-payload'
    }
  }

  /** Synchronous under a synchronous provider, once the key ids are known. */
  private open(payload: string, storeKey: string): MaybePromise<OpenedPayload | null> {
    const dot = payload.indexOf('.', ENCRYPTED_PREFIX.length)
    if (dot < 0) return null
    const keyIds = this.keyIds
    if (isPromise(keyIds)) return keyIds.then(() => this.open(payload, storeKey))
    const index = keyIds.indexOf(payload.slice(ENCRYPTED_PREFIX.length, dot))
    if (index < 0) return null
    const plain = this.crypto.open(
      this.encryptionKeys[index] as string,
      payload.slice(dot + 1),
      storeKey,
    )
    const done = (value: string | null): OpenedPayload | null => {
      if (value === null) return null
      const opened = { payload, plain: value, keyIndex: index }
      this.opened.set(storeKey, opened)
      return opened
    }
    return isPromise(plain) ? plain.then(done) : done(plain)
  }
}

function sizeOf(storeKey: string, opened: OpenedPayload): number {
  return storeKey.length + opened.payload.length + opened.plain.length
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The metadata fields the engine reads have the types it wrote; anything else is corrupt. */
function isValidMeta(meta: Record<string, unknown>): boolean {
  const { c, u, a, t, f, i, e, l, z, r, p, q } = meta
  if (typeof c !== 'number' || !Number.isFinite(c)) return false
  if (u !== undefined && u !== null && !isUserId(u)) return false
  if (a !== undefined && a !== null && typeof a !== 'string') return false
  if (t !== undefined && typeof t !== 'string') return false
  if (f !== undefined && !(isPlainRecord(f) && Object.values(f).every(Array.isArray))) return false
  if (i !== undefined && typeof i !== 'string') return false
  if (e !== undefined && typeof e !== 'number') return false
  if (z !== undefined && typeof z !== 'number') return false
  if (r !== undefined && typeof r !== 'number') return false
  if (p !== undefined && typeof p !== 'string') return false
  if (q !== undefined && typeof q !== 'string') return false
  if (l !== undefined) {
    if (!isPlainRecord(l)) return false
    if (l.i !== undefined && !isPositiveNumber(l.i)) return false
    if (l.a !== undefined && l.a !== null && !isPositiveNumber(l.a)) return false
    if (l.p !== undefined && typeof l.p !== 'boolean') return false
  }
  return true
}

function isPositiveNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

/** What `login()` accepts as a user id: a non-empty string, bounded, without control characters. */
export function isUserId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_USER_ID_LENGTH &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
    !/[\u0000-\u001f\u007f]/.test(value)
  )
}

/**
 * Whether JSON `text` nests deeper than {@link MAX_NESTING}. Each level takes at least two
 * characters, so shorter texts are not scanned; longer ones are, once, skipping strings.
 */
function tooDeep(text: string): boolean {
  if (text.length <= MAX_NESTING * 2) return false
  let depth = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (inString) {
      if (code === 92)
        index++ // backslash: skip the escaped character
      else if (code === 34) inString = false
    } else if (code === 34) inString = true
    else if (code === 123 || code === 91) {
      if (++depth > MAX_NESTING) return true
    } else if (code === 125 || code === 93) depth--
  }
  return false
}
