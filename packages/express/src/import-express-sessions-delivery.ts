import type { ServerResponse } from 'node:http'
import { appendSetCookie } from './response-headers.js'

/** What {@link watchDelivery} looks for, and what it does once it has seen it. */
export interface DeliveryWatch {
  /** The Tessera cookie's name. */
  cookieName: string
  /** The Tessera id header in header mode (`idFrom: { header }`), else null. */
  idHeader: string | null
  /** The legacy cookie's clearing `Set-Cookie`, added beside the Tessera cookie; null for none. */
  clearing: string | null
  /**
   * Runs once the response is over: `'delivered'` when it finished carrying the Tessera
   * session, `'not-delivered'` when it finished without, `'aborted'` when it never finished.
   */
  settled(outcome: 'delivered' | 'not-delivered' | 'aborted'): void
}

/**
 * Watches a response for the Tessera session's id. `session()` sets its headers through
 * `res.setHeader` after the commit, when they can still change: the legacy cookie's clearing
 * goes out in the same response as the Tessera cookie, and never in one that lacks it (a 5xx,
 * a Secure cookie withheld on plain HTTP), which would sign the browser out.
 */
export function watchDelivery(res: ServerResponse, watch: DeliveryWatch): void {
  const below = res.setHeader
  let delivered = false
  res.setHeader = function setHeader(
    this: ServerResponse,
    name: string,
    value: number | string | readonly string[],
  ) {
    if (delivered || typeof name !== 'string') return below.call(this, name, value)
    const lower = name.toLowerCase()
    if (watch.idHeader !== null) {
      const result = below.call(this, name, value)
      if (lower === watch.idHeader && String(value) !== '') {
        delivered = true
        if (watch.clearing !== null) appendSetCookie(this, watch.clearing)
      }
      return result
    }
    if (lower !== 'set-cookie') return below.call(this, name, value)
    const lines = typeof value === 'object' ? [...value] : [String(value)]
    if (!lines.some((line) => issues(line, watch.cookieName))) return below.call(this, name, value)
    delivered = true
    return below.call(this, name, watch.clearing === null ? lines : [...lines, watch.clearing])
  } as ServerResponse['setHeader']

  let done = false
  const settle = (finished: boolean): void => {
    if (done) return
    done = true
    watch.settled(!finished ? 'aborted' : delivered ? 'delivered' : 'not-delivered')
  }
  res.once('finish', () => settle(true))
  res.once('close', () => settle(res.writableFinished))
}

/** Whether a `Set-Cookie` line sets (not clears) cookie `name`. */
function issues(line: string, name: string): boolean {
  if (!line.startsWith(`${name}=`)) return false
  const value = line.slice(name.length + 1)
  return value.length > 0 && !value.startsWith(';')
}

/**
 * Drops the `Set-Cookie` lines that would clear cookie `name` from this response: under a
 * cookie name Tessera shares with express-session, Tessera clears a value it cannot read, and
 * after a legacy store failure that value must survive for the next request's import.
 */
export function keepCookie(res: ServerResponse, name: string): void {
  const below = res.setHeader
  res.setHeader = function setHeader(
    this: ServerResponse,
    header: string,
    value: number | string | readonly string[],
  ) {
    if (typeof header !== 'string' || header.toLowerCase() !== 'set-cookie') {
      return below.call(this, header, value)
    }
    const lines = (typeof value === 'object' ? [...value] : [String(value)]).filter(
      (line) => !line.startsWith(`${name}=;`),
    )
    return below.call(this, header, lines)
  } as ServerResponse['setHeader']
}
