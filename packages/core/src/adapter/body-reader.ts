import { FormBodyTooLargeError } from './adapter-errors.js'

/** The part of a Node.js readable stream (an `IncomingMessage`) {@link readNodeBody} uses. */
export interface NodeBodyStream {
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  on(event: 'end' | 'aborted', listener: () => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  off(event: 'end' | 'aborted', listener: () => void): unknown
  off(event: 'error', listener: (error: Error) => void): unknown
  resume(): unknown
}

/**
 * Reads a web-stream body (a `Request`'s, or a clone's) of at most `limit` bytes. A larger
 * one fails with {@link FormBodyTooLargeError}; the rest is not read.
 */
export async function readWebBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  declaredLength?: number | null,
): Promise<Uint8Array> {
  if (declaredLength != null && declaredLength > limit) throw new FormBodyTooLargeError(limit)
  if (!body) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      // Not awaited: cancelling one branch of a tee'd body settles only once both are.
      reader.cancel().catch(() => {})
      throw new FormBodyTooLargeError(limit)
    }
    chunks.push(value)
  }
  return concat(chunks, size)
}

/**
 * Reads a Node.js request body of at most `limit` bytes. A larger one fails with
 * {@link FormBodyTooLargeError}, and the rest is drained (not destroyed), so the response
 * can still be sent on the same connection.
 */
export function readNodeBody(
  stream: NodeBodyStream,
  limit: number,
  declaredLength?: number | null,
): Promise<Uint8Array> {
  if (declaredLength != null && declaredLength > limit) {
    stream.resume()
    return Promise.reject(new FormBodyTooLargeError(limit))
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const cleanup = (): void => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onError)
      stream.off('aborted', onAborted)
    }
    const onData = (chunk: Uint8Array | string): void => {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
      size += bytes.byteLength
      if (size > limit) {
        cleanup()
        stream.resume()
        reject(new FormBodyTooLargeError(limit))
        return
      }
      chunks.push(bytes)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(concat(chunks, size))
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onAborted = (): void => {
      cleanup()
      reject(new Error('The request was aborted while its body was read.'))
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('aborted', onAborted)
  })
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
