import {
  type ResolvedSessionOptions,
  SESSION_MEMBERS,
  type Session,
  type SessionEngine,
} from '@tessera/core'
import type {
  ExpressSession,
  RequestSessionObject,
  SessionCallback,
  SessionRecord,
} from './express-session.js'
import type { SessionCookie } from './session-cookie.js'

type CoreSession = Session<SessionRecord>

/** What the proxy reads and writes data through: the live session, or a detached snapshot. */
interface DataSource {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
  has(key: string): boolean
  keys(): string[]
}

/**
 * The names that reach the session API rather than the data: every core `Session` member
 * (core's list is checked against the type at compile time) and express-session's extras.
 */
const MEMBERS = new Set<string>([...SESSION_MEMBERS, 'cookie', 'resetMaxAge'])

const SESSION_HANDLE = Symbol.for('tessera.express.session')

/** Runs `operation`; with a callback, reports to it (never as an unhandled rejection). */
function settle(
  operation: () => Promise<void>,
  callback: SessionCallback | undefined,
): Promise<void> | undefined {
  let promise: Promise<void>
  try {
    promise = operation()
  } catch (error) {
    promise = Promise.reject(error)
  }
  if (typeof callback !== 'function') return promise
  promise.then(
    () => queueMicrotask(() => callback()),
    (error: unknown) => queueMicrotask(() => callback(error)),
  )
  return undefined
}

/** The per-request cookie view; `maxAge`/`expires` writes become an override for this response. */
class CookieView implements SessionCookie {
  /** `undefined`: no override; `null`: a browser-session cookie; a number: Max-Age in ms. */
  override: number | null | undefined = undefined

  constructor(
    private readonly options: Readonly<ResolvedSessionOptions>,
    private readonly session: () => CoreSession,
  ) {}

  private issuedMaxAge(): number | null {
    const { cookie, absoluteTimeoutMs, idleTimeoutMs } = this.options
    if (!cookie.persistent) return null
    return absoluteTimeoutMs ?? idleTimeoutMs
  }

  get originalMaxAge(): number | null {
    return this.override === undefined ? this.issuedMaxAge() : this.override
  }

  get expires(): Date | null {
    const maxAge = this.maxAge
    return maxAge === null ? null : new Date(this.options.now() + maxAge)
  }
  set expires(value: Date | null) {
    if (value === null || value === undefined) this.override = null
    else if (value instanceof Date)
      this.override = Math.max(0, value.getTime() - this.options.now())
    else throw new TypeError('req.session.cookie.expires must be a Date or null.')
  }

  get maxAge(): number | null {
    if (this.override !== undefined) return this.override
    const issued = this.issuedMaxAge()
    if (issued === null) return null
    const { absoluteTimeoutMs } = this.options
    if (absoluteTimeoutMs === null) return issued
    return Math.max(0, this.session().createdAt + absoluteTimeoutMs - this.options.now())
  }
  set maxAge(value: number | null) {
    if (value === null || value === undefined) this.override = null
    else if (typeof value === 'number' && Number.isFinite(value)) this.override = Math.max(0, value)
    else throw new TypeError('req.session.cookie.maxAge must be a number of milliseconds or null.')
  }

  get httpOnly(): boolean {
    return this.options.cookie.httpOnly
  }
  get secure(): boolean {
    return this.options.cookie.secure
  }
  get sameSite(): 'strict' | 'lax' | 'none' {
    return this.options.cookie.sameSite
  }
  get path(): string {
    return this.options.cookie.path
  }
  get domain(): string | undefined {
    return this.options.cookie.domain
  }
  get partitioned(): boolean {
    return this.options.cookie.partitioned
  }
  get name(): string {
    return this.options.cookie.name
  }

  toJSON(): Record<string, unknown> {
    return {
      originalMaxAge: this.originalMaxAge,
      expires: this.expires,
      httpOnly: this.httpOnly,
      secure: this.secure,
      sameSite: this.sameSite,
      path: this.path,
      domain: this.domain,
    }
  }
}

/**
 * One request's express-session compatible view of the core session. `req.session` is a
 * Proxy over it: session API names reach the methods below, every other property is data.
 */
export class SessionHandle {
  readonly cookie: CookieView
  /** The object currently at `req.session`. */
  current: RequestSessionObject
  private readonly members = new Map<string, unknown>()

  constructor(
    readonly session: CoreSession,
    /** The engine of the `session()` that made this handle. */
    readonly engine: SessionEngine<SessionRecord>,
    /** That `session()`, as warnings name it. */
    readonly mount: string,
    private readonly assign: (value: RequestSessionObject) => void,
  ) {
    this.cookie = new CookieView(engine.options, () => this.session)
    this.current = this.createProxy(liveSource(session))
  }

  /** The API object the proxy hands out for session member names (stable per request). */
  member(name: string): unknown {
    let value = this.members.get(name)
    if (value !== undefined || this.members.has(name)) return value
    value = this.createMember(name)
    this.members.set(name, value)
    return value
  }

  private createMember(name: string): unknown {
    const session = this.session
    const self = this
    switch (name) {
      case 'cookie':
        return this.cookie
      case 'regenerate':
        // express-session semantics in both forms (a fresh, empty session), which passport
        // relies on; `{ keepData: true }` moves the data to the new id instead.
        return function regenerate(arg?: SessionCallback | { keepData?: boolean }) {
          if (typeof arg === 'function') return settle(() => self.regenerateFresh(), arg)
          if (arg?.keepData === true) return settle(() => session.regenerate(arg), undefined)
          return settle(() => self.regenerateFresh(), undefined)
        }
      case 'destroy':
      case 'reload':
      case 'save':
        return (callback?: SessionCallback) => settle(() => session[name](), callback)
      case 'touch':
      case 'resetMaxAge':
        return () => {
          session.touch()
          return self.current
        }
      default: {
        const method = (session as unknown as Record<string, unknown>)[name]
        return typeof method === 'function' ? method.bind(session) : undefined
      }
    }
  }

  /** Reads a member that is a property of the core session (`id`, `isNew`, ...), or a method. */
  read(name: string): unknown {
    if (name === 'cookie') return this.cookie
    // Properties (`id`, `isNew`, `userId`, `lifetime`, ...) are read live; methods are bound once.
    const value = (this.session as unknown as Record<string, unknown>)[name]
    return typeof value === 'function' || value === undefined ? this.member(name) : value
  }

  /**
   * express-session's regenerate: destroy the record, start an empty session. The object at
   * `req.session` is replaced, and the old one keeps a snapshot of the old data, so passport's
   * `keepSessionInfo` can copy it across, as it does with express-session.
   */
  private async regenerateFresh(): Promise<void> {
    const previous = this.session.all() as Record<string, unknown>
    await this.session.regenerate()
    detach(this.current, previous)
    this.current = this.createProxy(liveSource(this.session))
    this.assign(this.current)
  }

  private createProxy(source: DataSource): RequestSessionObject {
    const state: ProxyState = { source, handle: this }
    const proxy = new Proxy({} as RequestSessionObject, {
      get(target, property, receiver) {
        if (typeof property === 'symbol') {
          if (property === SESSION_HANDLE) return state.handle
          return Reflect.get(target, property, receiver)
        }
        if (MEMBERS.has(property)) return state.handle.read(property)
        if (state.source.has(property)) return state.source.get(property)
        if (property in Object.prototype) return Reflect.get(target, property, receiver)
        return undefined
      },
      set(_target, property, value) {
        if (typeof property === 'symbol') return false
        if (MEMBERS.has(property)) {
          // `x.flash = x.flash || {}` style code assigns a member to itself: allow that no-op.
          if (state.handle.read(property) === value) return true
          if (property === 'cookie') return true
          throw new TypeError(
            `req.session.${property} is part of the session API and cannot be assigned; store data under another name or use req.session.set('${property}', value).`,
          )
        }
        state.source.set(property, value)
        return true
      },
      deleteProperty(_target, property) {
        if (typeof property === 'symbol' || MEMBERS.has(property)) return false
        state.source.delete(property)
        return true
      },
      has(target, property) {
        if (typeof property === 'symbol') return Reflect.has(target, property)
        return MEMBERS.has(property) || state.source.has(property) || property in Object.prototype
      },
      ownKeys() {
        return state.source.keys()
      },
      getOwnPropertyDescriptor(_target, property) {
        if (typeof property === 'symbol' || MEMBERS.has(property) || !state.source.has(property)) {
          return undefined
        }
        return {
          value: state.source.get(property),
          writable: true,
          enumerable: true,
          configurable: true,
        }
      },
      defineProperty(_target, property, descriptor) {
        if (typeof property === 'symbol' || MEMBERS.has(property) || !('value' in descriptor))
          return false
        state.source.set(property, descriptor.value)
        return true
      },
    })
    states.set(proxy, state)
    return proxy
  }
}

interface ProxyState {
  source: DataSource
  handle: SessionHandle
}

const states = new WeakMap<object, ProxyState>()

function liveSource(session: CoreSession): DataSource {
  return {
    get: (key) => session.get(key),
    set: (key, value) => session.set(key, value),
    delete: (key) => session.delete(key),
    has: (key) => session.has(key),
    keys: () => session.keys(),
  }
}

/** Points an old `req.session` object at a snapshot of the data it had. */
function detach(proxy: RequestSessionObject, data: Record<string, unknown>): void {
  const state = states.get(proxy)
  if (!state) return
  state.source = {
    get: (key) => data[key],
    set: (key, value) => {
      data[key] = value
    },
    delete: (key) => {
      delete data[key]
    },
    has: (key) => Object.hasOwn(data, key) && data[key] !== undefined,
    keys: () => Object.keys(data),
  }
}

/** The handle behind a `req.session` made by this package, if it is one. */
export function sessionHandleOf(value: unknown): SessionHandle | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const handle = (value as Record<symbol, unknown>)[SESSION_HANDLE]
  return handle instanceof SessionHandle ? handle : undefined
}

export type { ExpressSession }
