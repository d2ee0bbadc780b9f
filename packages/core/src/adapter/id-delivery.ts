/** What an adapter knows of the connection, for deciding whether the id can reach the client. */
export interface ConnectionInfo {
  /** The request came over HTTPS (directly, or through a trusted proxy). */
  secure: boolean
  /** The request's `Host` header (host name and optional port). */
  host?: string | null | undefined
}

/**
 * Whether this response can deliver the session id to the client. An id header always can.
 * A `Secure` cookie can over HTTPS, and over plain HTTP to a loopback host: browsers treat
 * `http://localhost`, `127.0.0.1` and `[::1]` as secure contexts and accept Secure cookies
 * from them. On any other plain-HTTP host the browser would refuse it (and the id would
 * cross the network in clear), so the adapter withholds it and the engine stores no new
 * session for it (`commit({ canSetCookie: false })`).
 */
export function canDeliverId(
  options: { readonly idHeader: string | null; readonly cookie: { readonly secure: boolean } },
  connection: ConnectionInfo,
): boolean {
  return (
    options.idHeader !== null ||
    !options.cookie.secure ||
    connection.secure ||
    isLoopbackHost(connection.host)
  )
}

/**
 * True for a `Host` header naming this machine the way browsers recognise it as a secure
 * context: `localhost` and `*.localhost`, any `127.x.x.x`, and `[::1]`; with or without a port.
 */
export function isLoopbackHost(host: string | null | undefined): boolean {
  if (typeof host !== 'string' || host.length === 0) return false
  let name = host.trim().toLowerCase()
  if (name.startsWith('[')) {
    const end = name.indexOf(']')
    return end > 0 && name.slice(1, end) === '::1'
  }
  const colon = name.indexOf(':')
  if (colon >= 0) name = name.slice(0, colon)
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const parts = name.split('.')
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
  )
}
