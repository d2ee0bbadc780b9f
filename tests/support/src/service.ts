import { connect, createServer } from 'node:net'

/** True when `CI=true`: a missing server is then a failure, never a skip. */
export const isCI = process.env.CI === 'true' || process.env.CI === '1'

/** A server a suite talks to: where it is, and how to stop it if the suite started it. */
export interface ServiceHandle {
  url: string
  /** Stops the server if this process started it; a no-op for a shared one. */
  stop(): Promise<void>
}

export interface RequireServiceOptions {
  /** Shown in the skip line, e.g. `'Redis'`. */
  name: string
  /** The URL to use first (from the environment or the default). */
  url: string
  /** Resolves true when a server answers at `url`. */
  answers(url: string): Promise<boolean>
  /** Starts a private server (temp dir, own port) when the binary is installed, else null. */
  startPrivate?: () => Promise<ServiceHandle | null>
  /** What to install, or which variable to set, for the skip line. */
  howToGet: string
}

/**
 * Finds the server a suite needs: the one at `url` if it answers, else a private one the
 * suite starts itself. Without either, it prints one loud line and returns null (the suite
 * then skips), except under `CI=true`, where it throws.
 */
export async function requireService(
  options: RequireServiceOptions,
): Promise<ServiceHandle | null> {
  if (await options.answers(options.url)) {
    return { url: options.url, stop: async () => {} }
  }
  const started = options.startPrivate ? await options.startPrivate() : null
  if (started) return started
  skipOrFail(
    options.name,
    `${options.name} is not reachable at ${options.url} and could not be started: ${options.howToGet}`,
  )
  return null
}

/**
 * A suite cannot get what it needs: under `CI=true` that is a failure (throws); elsewhere
 * one loud line says why the `name` tests skip.
 */
export function skipOrFail(name: string, line: string): void {
  if (isCI) throw new Error(`CI=true and ${line}`)
  console.warn(`\n!!! SKIPPING ${name} TESTS !!! ${line}\n`)
}

/** Resolves true when a TCP connection to host:port opens within `timeoutMs`. */
export function tcpAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Polls `check` until it resolves true, or throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`)
}
