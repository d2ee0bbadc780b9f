import { isPromise } from '../crypto/maybe-promise.js'
import type {
  CookieOverrides,
  RequestSession,
  ResponseHeaders,
} from '../request/request-session.js'

/**
 * Commits a request's session for a response of `status` (without a promise when nothing has
 * to be written; see `RequestSession.finish`). When the response cannot deliver
 * a cookie (see {@link canDeliverId}), no new session is stored and no `Set-Cookie` is
 * returned; everything else (`Vary`, `Cache-Control`, an id header) still is.
 */
export function commitForResponse<Data extends object>(
  rs: RequestSession<Data>,
  status: number,
  canDeliver: boolean,
  cookie?: CookieOverrides,
): ResponseHeaders | Promise<ResponseHeaders> {
  const headers = rs.finish({ status, canSetCookie: canDeliver, cookie })
  if (canDeliver) return headers
  return isPromise(headers) ? headers.then(withoutCookies) : withoutCookies(headers)
}

function withoutCookies(headers: ResponseHeaders): ResponseHeaders {
  return headers.filter(([name]) => name !== 'set-cookie')
}
