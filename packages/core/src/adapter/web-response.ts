import type { ResponseHeaders } from '../request/request-session.js'
import { mergeVary } from './vary.js'

/**
 * Adds a commit's headers to a web `Response`, for adapters of fetch-based frameworks:
 * Set-Cookie appended, Vary merged, the others set. A response whose headers are immutable
 * (one from `fetch()` or `Response.redirect()`) is copied first, so send the one returned.
 * A protocol switch (status below 200, a WebSocket upgrade) gets none: the session is saved
 * all the same.
 */
export function withSessionHeaders(response: Response, headers: ResponseHeaders): Response {
  if (headers.length === 0 || response.status < 200) return response
  try {
    addTo(response.headers, headers)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
  }
  const copy = new Response(response.body, response)
  addTo(copy.headers, headers)
  return copy
}

function addTo(target: Headers, headers: ResponseHeaders): void {
  for (const [name, value] of headers) {
    if (name === 'set-cookie') target.append(name, value)
    else if (name === 'vary') target.set('vary', mergeVary(target.get('vary'), value))
    else target.set(name, value)
  }
}
