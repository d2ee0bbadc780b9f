import type { ResolvedSessionOptions } from '../options/resolved-session-options.js'

/** What an adapter knows of the connection, for deciding whether the id can reach the client. */
export interface ConnectionInfo {
  /** The request came over HTTPS (directly, or through a trusted proxy). */
  secure: boolean
}

/**
 * Whether this response can deliver the session id to the client. An id header always can.
 * A `Secure` cookie sent over plain HTTP would be refused by the browser (and put the id on
 * the wire in clear), so it cannot; the adapter then withholds it, and the engine stores no
 * new session for it (`commit({ canSetCookie: false })`).
 */
export function canDeliverId(
  options: Pick<Readonly<ResolvedSessionOptions>, 'idHeader' | 'cookie'>,
  connection: ConnectionInfo,
): boolean {
  return options.idHeader !== null || !options.cookie.secure || connection.secure
}
