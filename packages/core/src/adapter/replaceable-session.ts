import type { SessionEngine } from '../engine/session-engine.js'
import type {
  IncomingRequestInfo,
  RequestSession,
  ResponseHeaders,
} from '../request/request-session.js'
import type { Session, SessionData } from '../session/session.js'
import { commitForResponse } from './commit-response.js'

/**
 * One request's session where the app may replace it wholesale, as koa-session and
 * cookie-session allow: `ctx.session = null` destroys it, `ctx.session = { … }` starts a new
 * session holding that data. The replaced sessions are committed with the current one.
 */
export class ReplaceableSession<Data extends object> {
  current: RequestSession<Data>
  /** Sessions replaced so far, with their pending destroy. */
  /** Made by the first replace(): nearly every request has none. */
  #replaced: Array<{ rs: RequestSession<Data>; destroyed: Promise<unknown> }> | null = null

  constructor(
    readonly engine: SessionEngine<Data>,
    request: IncomingRequestInfo,
  ) {
    this.current = engine.start(request)
  }

  /**
   * Destroys the current session and starts an empty one (for a new visitor: no cookie, no id
   * header), filled with `data` unless it is `null`. `accessor` names the session in errors.
   */
  replace(data: unknown, request: IncomingRequestInfo, accessor: string): void {
    if (data !== null && (typeof data !== 'object' || Array.isArray(data))) {
      throw new TypeError(
        `${accessor} can only be set to null (destroy) or a plain object (new data).`,
      )
    }
    const previous = this.current
    const destroyed = previous.session.destroy()
    // Observed at commit; a rejection must not go unhandled meanwhile.
    destroyed.catch(() => {})
    this.#replaced ??= []
    this.#replaced.push({ rs: previous, destroyed })
    this.current = this.engine.start({ ...request, cookie: null, header: () => undefined })
    if (data !== null) {
      const fresh = this.current.session as unknown as Session<SessionData>
      for (const [key, item] of Object.entries(data)) fresh.set(key, item)
    }
  }

  /**
   * Commits the current session and any it replaced: the replaced ones' headers (a cleared
   * cookie) count only when the current one sets no id of its own.
   */
  commit(status: number, canSetCookie = true): ResponseHeaders | Promise<ResponseHeaders> {
    const replaced = this.#replaced
    if (replaced === null) return commitForResponse(this.current, status, canSetCookie)
    return this.#commitReplaced(replaced, status, canSetCookie)
  }

  async #commitReplaced(
    replaced: ReadonlyArray<{ rs: RequestSession<Data>; destroyed: Promise<unknown> }>,
    status: number,
    canSetCookie: boolean,
  ): Promise<ResponseHeaders> {
    for (const { destroyed } of replaced) await destroyed
    const headers = await commitForResponse(this.current, status, canSetCookie)
    const idHeader = this.engine.options.idHeader ?? 'set-cookie'
    const setsId = headers.some(([name]) => name === idHeader)
    for (const { rs } of replaced) {
      for (const entry of await commitForResponse(rs, status, canSetCookie)) {
        const [name] = entry
        if (name === idHeader ? setsId : headers.some(([other]) => other === name)) continue
        headers.push(entry)
      }
    }
    return headers
  }
}
