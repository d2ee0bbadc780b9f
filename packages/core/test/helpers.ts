import {
  type CryptoProvider,
  createSessionEngine,
  defaultCryptoProvider,
  MemoryStore,
  type ResponseHeaders,
  type Session,
  type SessionData,
  type SessionEngine,
  type SessionOptions,
} from '@tessera/core'

// Core's tests keep their own copies of @tessera/testkit's exchange, countingStore and
// manualClock: testkit depends on core, so core (and its tests) must not depend on testkit,
// or the workspace graph (and turbo) would have a cycle. Everything else imports the testkit
// versions; keep these to what core's tests use, in step with testkit's.

export const SECRET = 'a-test-secret-that-is-long-enough-0123456789'
export const OLD_SECRET = 'an-older-secret-that-is-long-enough-9876543210'

/** A clock tests move by hand. */
export function manualClock(start = Date.now()) {
  let now = start
  return {
    now: () => now,
    advance(ms: number) {
      now += ms
    },
  }
}

export function testEngine<Data extends object = SessionData>(
  options: Partial<SessionOptions> = {},
): SessionEngine<Data> {
  return createSessionEngine<Data>({ secret: SECRET, store: new MemoryStore(), ...options })
}

export interface Exchange {
  headers: ResponseHeaders
  setCookie: string | undefined
  /** The cookie header a browser sends next: the new one if set (or none if cleared), else the old. */
  cookie: string | undefined
  header(name: string): string | undefined
}

/** One request/response through the engine, the way an adapter drives it. */
export async function exchange<Data extends object>(
  engine: SessionEngine<Data>,
  cookie: string | undefined,
  route?: (session: Session<Data>) => unknown,
  options: { status?: number; userAgent?: string; headers?: Record<string, string> } = {},
): Promise<Exchange> {
  const rs = engine.start({
    cookie,
    userAgent: options.userAgent ?? 'vitest',
    header: (name) => options.headers?.[name],
  })
  await rs.load()
  await route?.(rs.session)
  const headers = await rs.commit({ status: options.status ?? 200 })
  const setCookie = headers.find(([name]) => name === 'set-cookie')?.[1]
  let next = cookie
  if (setCookie) {
    const pair = setCookie.split(';')[0] as string
    next = /Max-Age=0/.test(setCookie) ? undefined : pair
  }
  return {
    headers,
    setCookie,
    cookie: next,
    header: (name) => headers.find(([n]) => n === name)?.[1],
  }
}

/** Counts calls per store method. */
export function countingStore(store = new MemoryStore()) {
  const calls: Record<string, number> = {}
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return {
    store: proxy,
    calls,
    reset: () => {
      for (const k of Object.keys(calls)) delete calls[k]
    },
  }
}

/** The default crypto provider, counting its `open` calls in `opened`. */
export function countingOpens(): { provider: CryptoProvider; opened: number } {
  const base = defaultCryptoProvider()
  const counter = { provider: base, opened: 0 }
  counter.provider = {
    ...base,
    open(secret, sealed, aad) {
      counter.opened++
      return base.open(secret, sealed, aad)
    },
  }
  return counter
}
