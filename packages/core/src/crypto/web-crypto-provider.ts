import { base64urlToBytes, bytesToBase64url } from './base64url.js'
import type { CryptoProvider } from './crypto-provider.js'

// The subset of Web Crypto used here, so core's types need neither DOM nor Node typings.
type WebCryptoKey = object
type Bytes = Uint8Array
interface SubtleCryptoLike {
  importKey(
    format: 'raw',
    keyData: Bytes | ArrayBuffer,
    algorithm: { name: string; hash?: string },
    extractable: boolean,
    usages: string[],
  ): Promise<WebCryptoKey>
  sign(algorithm: 'HMAC', key: WebCryptoKey, data: Bytes): Promise<ArrayBuffer>
  digest(algorithm: 'SHA-256', data: Bytes): Promise<ArrayBuffer>
  encrypt(
    algorithm: { name: 'AES-GCM'; iv: Bytes; additionalData: Bytes },
    key: WebCryptoKey,
    data: Bytes,
  ): Promise<ArrayBuffer>
  decrypt(
    algorithm: { name: 'AES-GCM'; iv: Bytes; additionalData: Bytes },
    key: WebCryptoKey,
    data: Bytes,
  ): Promise<ArrayBuffer>
}
/** The part of `globalThis.crypto` the Web Crypto provider needs. */
export interface WebCryptoLike {
  getRandomValues<T extends Uint8Array>(array: T): T
  readonly subtle: SubtleCryptoLike
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })
const IV_BYTES = 12

/** Web Crypto: works on Node, Deno, Bun, Cloudflare Workers and browsers. Asynchronous. */
export function createWebCryptoProvider(
  crypto: WebCryptoLike = (globalThis as unknown as { crypto: WebCryptoLike }).crypto,
): CryptoProvider {
  const subtle = crypto.subtle
  // Imported keys are cached per secret: importKey is the costly part of each call.
  const hmacKeys = new Map<string, Promise<WebCryptoKey>>()
  const aesKeys = new Map<string, Promise<WebCryptoKey>>()

  const hmacKey = (secret: string) => {
    let key = hmacKeys.get(secret)
    if (!key) {
      key = subtle.importKey(
        'raw',
        encoder.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      )
      hmacKeys.set(secret, key)
    }
    return key
  }
  const aesKey = (secret: string) => {
    let key = aesKeys.get(secret)
    if (!key) {
      key = subtle
        .digest('SHA-256', encoder.encode(secret))
        .then((raw: ArrayBuffer) =>
          subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']),
        )
      aesKeys.set(secret, key)
    }
    return key
  }

  return {
    name: 'web-crypto',
    randomToken(size) {
      return bytesToBase64url(crypto.getRandomValues(new Uint8Array(size)))
    },
    async hmacSha256(secret, data) {
      const signature = await subtle.sign('HMAC', await hmacKey(secret), encoder.encode(data))
      return bytesToBase64url(new Uint8Array(signature))
    },
    async sha256(data) {
      return bytesToBase64url(new Uint8Array(await subtle.digest('SHA-256', encoder.encode(data))))
    },
    async seal(secret, plaintext, aad) {
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
      const ciphertext = await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(aad) },
        await aesKey(secret),
        encoder.encode(plaintext),
      )
      const out = new Uint8Array(IV_BYTES + ciphertext.byteLength)
      out.set(iv)
      out.set(new Uint8Array(ciphertext), IV_BYTES)
      return bytesToBase64url(out)
    },
    async open(secret, sealed, aad) {
      const bytes = base64urlToBytes(sealed)
      if (!bytes || bytes.length < IV_BYTES + 16) return null
      try {
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: bytes.subarray(0, IV_BYTES), additionalData: encoder.encode(aad) },
          await aesKey(secret),
          bytes.subarray(IV_BYTES),
        )
        return decoder.decode(plain)
      } catch {
        return null
      }
    },
  }
}
