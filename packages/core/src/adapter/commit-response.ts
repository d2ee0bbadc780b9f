import type { RequestSession, ResponseHeaders } from '../request/request-session.js'

/**
 * Commits a request's session for a response of `status`. When the response cannot deliver
 * a cookie (see {@link canDeliverId}), no new session is stored and no `Set-Cookie` is
 * returned; everything else (`Vary`, `Cache-Control`, an id header) still is.
 */
export async function commitForResponse<Data extends object>(
  rs: RequestSession<Data>,
  status: number,
  canDeliver: boolean,
): Promise<ResponseHeaders> {
  const headers = await rs.commit({ status, canSetCookie: canDeliver })
  return canDeliver ? headers : headers.filter(([name]) => name !== 'set-cookie')
}
