import type { IncomingMessage } from 'node:http'

/** Reads at most `limit` bytes of a request body as UTF-8; null when it is larger. */
export async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(request.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) return null
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
    size += bytes.byteLength
    if (size > limit) return null
    chunks.push(bytes)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(body)
}

/** Parses a urlencoded or JSON body; undefined when it is neither or malformed. */
export function parseBody(
  text: string,
  type: 'urlencoded' | 'json',
): Record<string, unknown> | undefined {
  if (type === 'urlencoded') {
    const parsed: Record<string, unknown> = {}
    for (const [key, value] of new URLSearchParams(text)) {
      const existing = parsed[key]
      if (existing === undefined) parsed[key] = value
      else if (Array.isArray(existing)) existing.push(value)
      else parsed[key] = [existing, value]
    }
    return parsed
  }
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
