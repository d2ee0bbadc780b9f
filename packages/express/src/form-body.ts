import type { IncomingMessage } from 'node:http'
import { FormBodyTooLargeError } from './errors.js'

/** A request stream some body parser already read (Express 4's body-parser sets `_body`). */
export function bodyConsumed(req: IncomingMessage): boolean {
  return (req as { _body?: unknown })._body === true || req.readableEnded
}

/** True for `application/x-www-form-urlencoded` (any parameters). */
export function isUrlencoded(req: IncomingMessage): boolean {
  const type = req.headers['content-type']
  if (typeof type !== 'string') return false
  return type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded'
}

/**
 * Reads an urlencoded body of at most `limit` bytes into a plain object (first value per
 * name), and marks the request as parsed so body parsers mounted later skip it and see
 * `req.body`.
 */
export function readFormBody(req: IncomingMessage, limit: number): Promise<Record<string, string>> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    return Promise.reject(new FormBodyTooLargeError(limit))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = (): void => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('aborted', onAborted)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        req.resume()
        reject(new FormBodyTooLargeError(limit))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      const body: Record<string, string> = {}
      for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
        if (!Object.hasOwn(body, name)) body[name] = value
      }
      const parsed = req as { body?: unknown; _body?: boolean }
      parsed.body = body
      parsed._body = true
      resolve(body)
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onAborted = (): void => {
      cleanup()
      reject(new Error('The request was aborted while its form body was read.'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('aborted', onAborted)
  })
}
