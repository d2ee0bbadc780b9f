import type { ServerResponse } from 'node:http'
import { mergeVary as mergeVaryValue } from '@tessera/core/adapter'

/** Adds a `Set-Cookie` value, keeping those already set. */
export function appendSetCookie(res: ServerResponse, value: string | readonly string[]): void {
  const existing = res.getHeader('set-cookie')
  const list =
    existing === undefined ? [] : Array.isArray(existing) ? [...existing] : [String(existing)]
  if (typeof value === 'string') list.push(value)
  else list.push(...value)
  res.setHeader('set-cookie', list)
}

/** Adds `Vary` field names not already listed (case-insensitive); `*` absorbs everything. */
export function mergeVary(res: ServerResponse, value: string): void {
  const existing = res.getHeader('vary')
  const current = Array.isArray(existing) ? existing.join(',') : existing?.toString()
  res.setHeader('vary', mergeVaryValue(current, value))
}

/**
 * Applies the headers argument of `res.writeHead(status, [message], headers)` through
 * `setHeader`, except that `Set-Cookie` is appended and `Vary` merged: so headers the session
 * added survive a route that passes its own to `writeHead`.
 */
export function applyWriteHeadHeaders(res: ServerResponse, headers: unknown): void {
  const apply = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || value === undefined) return
    const lower = name.toLowerCase()
    if (lower === 'set-cookie')
      appendSetCookie(res, Array.isArray(value) ? value.map(String) : String(value))
    else if (lower === 'vary')
      mergeVary(res, Array.isArray(value) ? value.join(',') : String(value))
    else res.setHeader(name, value as string | number | readonly string[])
  }
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) apply(pair[0], pair[1])
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) apply(headers[i], headers[i + 1])
    }
  } else if (typeof headers === 'object' && headers !== null) {
    for (const [name, value] of Object.entries(headers)) apply(name, value)
  }
}
