import {
  type CookieAttributes,
  type CookieOverrides,
  type ResolvedSessionOptions,
  SESSION_MEMBERS,
  type Session,
  type SessionEngine,
} from '@tessera/core'
import { cookieWith } from '@tessera/core/adapter'
import type { ExpressSession, SessionCallback, SessionRecord } from './express-session.js'
import { type HoldCarrier, RESPONSE_HOLD } from './request-slot.js'
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

/** Members whose express-session form differs from core's (each a case of `SessionHandle.createMember`). */
const EXPRESS_FORMS = new Set(['regenerate', 'reload', 'destroy', 'save', 'touch', 'resetMaxAge'])

const SESSION_HANDLE = Symbol.for('tessera.express.session')
/**
 * What the proxy answers with its state (for `detach`). Not a `WeakMap` from proxies to state:
 * an entry per request made every garbage collection walk the map's ephemeron table.
 */
const PROXY_STATE = Symbol('tessera.express.proxy-state')

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

type WritableAttribute = keyof CookieOverrides

/**
 * `req.session.cookie`: the attributes this response's cookie gets, writable as in
 * express-session. `maxAge` and `expires` change the session's own lifetime (stored with it,
 * so the next requests keep it); the other attributes change this response's cookie only.
 */
class CookieView implements SessionCookie {
  private written: CookieOverrides | undefined

  constructor(
    private readonly options: Readonly<ResolvedSessionOptions>,
    private readonly session: () => CoreSession,
    /** What `'auto'` attributes or a cookie function decided for this request. */
    private readonly requestCookie: CookieOverrides | undefined,
  ) {}

  /** This response's attributes where they differ from the options (for `commit`). */
  overrides(): CookieOverrides | undefined {
    if (this.written === undefined) return this.requestCookie
    return { ...this.requestCookie, ...this.written }
  }

  private attribute<Name extends WritableAttribute>(name: Name): CookieAttributes[Name] {
    const written = this.written?.[name]
    if (written !== undefined) return written as CookieAttributes[Name]
    const requested = this.requestCookie?.[name]
    return (
      requested !== undefined ? requested : this.options.cookie[name]
    ) as CookieAttributes[Name]
  }

  private write<Name extends WritableAttribute>(name: Name, value: CookieOverrides[Name]): void {
    const next = { ...this.written, [name]: value }
    try {
      // Checked like the options: no Secure-less __Host- cookie, no SameSite=None without Secure.
      cookieWith(this.options.cookie, { ...this.requestCookie, ...next })
    } catch (error) {
      throw new TypeError(
        `req.session.cookie.${name} = ${JSON.stringify(value)} is refused: ${(error as Error).message}`,
      )
    }
    this.written = next
  }

  get originalMaxAge(): number | null {
    const { persistent, absoluteTimeoutMs, idleTimeoutMs } = this.session().lifetime
    if (!persistent) return null
    return absoluteTimeoutMs ?? idleTimeoutMs
  }

  get maxAge(): number | null {
    const session = this.session()
    const { persistent, absoluteTimeoutMs, idleTimeoutMs } = session.lifetime
    if (!persistent) return null
    if (absoluteTimeoutMs === null) return idleTimeoutMs
    return Math.max(0, session.createdAt + absoluteTimeoutMs - this.options.now())
  }
  set maxAge(value: number | null) {
    if (value === null || value === undefined) this.relive(null)
    else if (typeof value === 'number' && Number.isFinite(value)) this.relive(Math.max(0, value))
    else throw new TypeError('req.session.cookie.maxAge must be a number of milliseconds or null.')
  }

  get expires(): Date | null {
    const maxAge = this.maxAge
    return maxAge === null ? null : new Date(this.options.now() + maxAge)
  }
  set expires(value: Date | null | false) {
    if (value === null || value === undefined || value === false) this.relive(null)
    else if (value instanceof Date) this.relive(Math.max(0, value.getTime() - this.options.now()))
    else throw new TypeError('req.session.cookie.expires must be a Date or null.')
  }

  /**
   * express-session's "remember me": the session's idle lifetime becomes `maxAgeMs` (its
   * absolute one grows to fit), or it gets a browser-session cookie (`null`). Stored with the
   * session, within the engine's `maxLifetime` ceilings.
   */
  private relive(maxAgeMs: number | null): void {
    const session = this.session()
    const { idleTimeoutMs, absoluteTimeoutMs } = session.lifetime
    const idle = maxAgeMs ?? idleTimeoutMs
    const absolute = absoluteTimeoutMs === null ? false : Math.max(absoluteTimeoutMs, idle)
    try {
      session.setLifetime({ idle, absolute, persistent: maxAgeMs !== null })
    } catch (error) {
      throw new TypeError(
        `req.session.cookie.maxAge = ${maxAgeMs} is refused: ${(error as Error).message} Raise the ceiling with session({ maxLifetime: { idle, absolute } }).`,
      )
    }
  }

  get httpOnly(): boolean {
    return this.attribute('httpOnly')
  }
  set httpOnly(value: boolean) {
    this.write('httpOnly', booleanAttribute('httpOnly', value))
  }
  get secure(): boolean {
    return this.attribute('secure')
  }
  set secure(value: boolean) {
    this.write('secure', booleanAttribute('secure', value))
  }
  get sameSite(): 'strict' | 'lax' | 'none' {
    return this.attribute('sameSite')
  }
  set sameSite(value: 'strict' | 'lax' | 'none' | true) {
    this.write('sameSite', value === true ? 'strict' : value)
  }
  get path(): string {
    return this.attribute('path')
  }
  set path(value: string) {
    this.write('path', value)
  }
  get domain(): string | undefined {
    return this.attribute('domain')
  }
  set domain(value: string | undefined) {
    this.write('domain', value)
  }
  get partitioned(): boolean {
    return this.attribute('partitioned')
  }
  set partitioned(value: boolean) {
    this.write('partitioned', booleanAttribute('partitioned', value))
  }
  get priority(): 'low' | 'medium' | 'high' | undefined {
    return this.attribute('priority')
  }
  set priority(value: 'low' | 'medium' | 'high' | undefined) {
    this.write('priority', value)
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
      partitioned: this.partitioned,
      priority: this.priority,
    }
  }
}

function booleanAttribute(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new TypeError(`req.session.cookie.${name} must be true or false.`)
  return value
}

/**
 * One request's express-session compatible view of the core session. `req.session` is a
 * Proxy over it: session API names reach the methods below, every other property is data.
 */
export class SessionHandle implements HoldCarrier {
  /** The response's hold (see hold-response.ts), kept here so the request carries one property. */
  [RESPONSE_HOLD]: unknown = undefined
  // Built on first use: most requests never touch the cookie view or a member function.
  #cookie: CookieView | undefined
  #current: ExpressSession | undefined
  #members: Map<string, unknown> | undefined
  /** What the app assigned to `req.session` (`null` ends the session), once it assigned. */
  #assigned: ExpressSession | null | undefined
  #wasAssigned = false

  constructor(
    readonly session: CoreSession,
    /** The engine of the `session()` that made this handle. */
    readonly engine: SessionEngine<SessionRecord>,
    private readonly describeMount: () => string,
    private readonly requestCookie: CookieOverrides | undefined,
    /** The request whose `req.session` this is. */
    private readonly req: { session?: ExpressSession | null },
  ) {}

  /** That `session()`, as warnings name it. */
  get mount(): string {
    return this.describeMount()
  }

  get cookie(): CookieView {
    this.#cookie ??= new CookieView(this.engine.options, () => this.session, this.requestCookie)
    return this.#cookie
  }

  /** This response's cookie attributes where they differ from the options. */
  cookieOverrides(): CookieOverrides | undefined {
    return this.#cookie === undefined ? this.requestCookie : this.#cookie.overrides()
  }

  /** Runs once, on the first use of the session (see {@link SessionHandle.onFirstUse}). */
  #firstUse: (() => void) | undefined

  /**
   * Defers `run` until the app first uses the session (`req.session`, `csrf()`, `flash()`,
   * the importer). For a request that brought no session id, nothing can need saving before
   * then, so a route that never touches the session skips the response hold entirely.
   */
  onFirstUse(run: () => void): void {
    this.#firstUse = run
  }

  /** Marks the session used: runs the deferred {@link SessionHandle.onFirstUse}, once. */
  used(): void {
    const run = this.#firstUse
    if (run === undefined) return
    this.#firstUse = undefined
    run()
  }

  /** The session object this package made for the request (see {@link SessionHandle.visible}). */
  get current(): ExpressSession {
    if (this.#current === undefined) {
      this.used()
      this.#current = this.createProxy(new LiveSource(this.session))
    }
    return this.#current
  }

  /** What `req.session` shows: {@link SessionHandle.current}, or what the app assigned to it. */
  get visible(): ExpressSession | null | undefined {
    return this.#wasAssigned ? this.#assigned : this.current
  }

  /** `req.session = value` (`null` ends the session when the response goes out). */
  assign(value: ExpressSession | null | undefined): void {
    this.used()
    this.#wasAssigned = true
    this.#assigned = value
  }

  /** Whether the app assigned `req.session` (see {@link SessionHandle.assign}). */
  get assigned(): boolean {
    return this.#wasAssigned
  }

  /** The API object the proxy hands out for session member names (stable per request). */
  member(name: string): unknown {
    this.#members ??= new Map()
    const members = this.#members
    let value = members.get(name)
    if (value !== undefined || members.has(name)) return value
    value = this.createMember(name)
    members.set(name, value)
    return value
  }

  /** express-session's form of one of the {@link EXPRESS_FORMS} members. */
  private createMember(name: string): unknown {
    const session = this.session
    const self = this
    switch (name) {
      case 'regenerate':
        // express-session semantics in both forms (a fresh, empty session), which passport
        // relies on; `{ keepData: true }` moves the data to the new id instead.
        return function regenerate(arg?: SessionCallback | { keepData?: boolean }) {
          if (typeof arg === 'function') return settle(() => self.regenerateFresh(), arg)
          if (arg?.keepData === true) return settle(() => session.regenerate(arg), undefined)
          return settle(() => self.regenerateFresh(), undefined)
        }
      case 'reload':
        // express-session reports a session that is no longer stored ("failed to load
        // session") and leaves req.session as it was.
        return (callback?: SessionCallback) =>
          settle(() => session.reload({ ifGone: 'throw' }), callback)
      case 'destroy':
      case 'save':
        return (callback?: SessionCallback) => settle(() => session[name](), callback)
      case 'touch':
      case 'resetMaxAge':
        return () => {
          session.touch()
          return self.current
        }
      default:
        return undefined
    }
  }

  /** Reads a member that is a property of the core session (`id`, `isNew`, ...), or a method. */
  read(name: string): unknown {
    if (name === 'cookie') return this.cookie
    // express-session's own forms of some members are made per request, once; properties
    // (`id`, `isNew`, `userId`, `lifetime`, ...) are read live; core's methods are shared.
    if (EXPRESS_FORMS.has(name)) return this.member(name)
    const value = (this.session as unknown as Record<string, unknown>)[name]
    return typeof value === 'function' ? coreMethod(name) : value
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
    this.#current = this.createProxy(new LiveSource(this.session))
    this.req.session = this.#current
  }

  private createProxy(source: DataSource): ExpressSession {
    // The target carries the state, so every request's proxy shares one handler.
    const state: ProxyState = { source, handle: this }
    return new Proxy(state, PROXY_HANDLER) as unknown as ExpressSession
  }
}

/**
 * The traps of every `req.session` proxy; the target is the request's {@link ProxyState}.
 * Its own fields are never reported: every string name is session data or a member.
 */
const PROXY_HANDLER: ProxyHandler<ProxyState> = {
  get(state, property) {
    if (typeof property === 'symbol') {
      if (property === SESSION_HANDLE) return state.handle
      if (property === PROXY_STATE) return state
      return undefined
    }
    if (MEMBERS.has(property)) return state.handle.read(property)
    if (state.source.has(property)) return state.source.get(property)
    if (property in Object.prototype) return (Object.prototype as Record<string, unknown>)[property]
    return undefined
  },
  set(state, property, value) {
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
  deleteProperty(state, property) {
    if (typeof property === 'symbol' || MEMBERS.has(property)) return false
    state.source.delete(property)
    return true
  },
  has(state, property) {
    if (typeof property === 'symbol') return false
    return MEMBERS.has(property) || state.source.has(property) || property in Object.prototype
  },
  ownKeys(state) {
    return state.source.keys()
  },
  getOwnPropertyDescriptor(state, property) {
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
  defineProperty(state, property, descriptor) {
    if (typeof property === 'symbol' || MEMBERS.has(property) || !('value' in descriptor))
      return false
    state.source.set(property, descriptor.value)
    return true
  },
}

/**
 * One function per core `Session` method name, shared by every request's `req.session`: it
 * runs the method on the session of the `req.session` it is called on (binding one per
 * request and name was garbage on every request that called `req.session.get`).
 */
const coreMethods = new Map<string, (this: unknown, ...args: unknown[]) => unknown>()
function coreMethod(name: string): (this: unknown, ...args: unknown[]) => unknown {
  let method = coreMethods.get(name)
  if (method === undefined) {
    method = function sessionMethod(this: unknown) {
      const handle = sessionHandleOf(this)
      if (handle === undefined) {
        throw new TypeError(
          `req.session.${name}() was called without req.session: call it as req.session.${name}(...), or bind it first.`,
        )
      }
      const session = handle.session as unknown as Record<string, (...args: unknown[]) => unknown>
      const run = session[name] as (...args: unknown[]) => unknown
      // biome-ignore lint/complexity/noArguments: no rest array per call on the hot path
      return run.apply(session, arguments as unknown as unknown[])
    }
    coreMethods.set(name, method)
  }
  return method
}

interface ProxyState {
  source: DataSource
  handle: SessionHandle
}

/** The live session as a data source (a class: one allocation per request, not five). */
class LiveSource implements DataSource {
  private readonly session: Session<Record<string, unknown>>
  constructor(session: CoreSession) {
    // Keys come from property access, so any string: the proxy's types do the checking.
    this.session = session as unknown as Session<Record<string, unknown>>
  }
  get(key: string): unknown {
    return this.session.get(key)
  }
  set(key: string, value: unknown): void {
    this.session.set(key, value)
  }
  delete(key: string): void {
    this.session.delete(key)
  }
  has(key: string): boolean {
    return this.session.has(key)
  }
  keys(): string[] {
    return this.session.keys()
  }
}

/** Points an old `req.session` object at a snapshot of the data it had. */
function detach(proxy: ExpressSession, data: Record<string, unknown>): void {
  const state = (proxy as unknown as Record<symbol, ProxyState | undefined>)[PROXY_STATE]
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
