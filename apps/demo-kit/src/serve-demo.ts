import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Demo, type OpenDemoOptions, openDemo } from './open-demo.js'

/** Options of {@link serveDemo}. */
export interface ServeDemoOptions {
  /** Where the "listening" line goes. Default `console.log`. */
  log?: (line: string) => void
  /** Stop on SIGINT and SIGTERM (closing connections, the store and the database). Default true. */
  handleSignals?: boolean
}

/**
 * Listens on `demo.config` host and port, prints the URL (the browser tests and `npm start`
 * wait for that line), and on SIGINT/SIGTERM closes the server, the session store and the
 * database before exiting. Resolves with the URL.
 *
 * @example
 * ```ts
 * await serveDemo(http.createServer(app), demo) // "Express demo: http://localhost:3000"
 * ```
 */
export async function serveDemo(
  server: Server,
  demo: Demo,
  options: ServeDemoOptions = {},
): Promise<string> {
  const log = options.log ?? console.log
  const { host, port } = demo.config
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const shownHost = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(host)
    ? 'localhost'
    : host.includes(':')
      ? `[${host}]`
      : host
  const url = `http://${shownHost}:${address.port}`
  log(`Sessions: ${demo.storeLabel}`)
  log(`${demo.footer.framework} demo: ${url}`)
  if (options.handleSignals !== false) {
    const stop = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping the ${demo.footer.framework} demo`)
      const forced = setTimeout(() => process.exit(1), 5_000)
      forced.unref()
      server.close()
      server.closeAllConnections()
      demo.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error)
          process.exit(1)
        },
      )
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  }
  return url
}

/**
 * A demo's `main`: {@link openDemo}, the framework's server, {@link serveDemo}. A start-up
 * error (a bad variable, an unreachable store) prints its message, which says what to do,
 * and exits with status 1.
 *
 * @example
 * ```ts
 * await runDemo({ framework: 'Koa', appDir }, (demo) => http.createServer(createApp(demo).callback()))
 * ```
 */
export async function runDemo(
  options: OpenDemoOptions,
  createServer: (demo: Demo) => Server,
): Promise<void> {
  try {
    const demo = await openDemo(options)
    await serveDemo(createServer(demo), demo)
  } catch (error) {
    // Tessera's and the kit's errors carry a code and a message that says what to do; a stack
    // trace would only bury it.
    const code = (error as { code?: unknown } | null)?.code
    console.error(typeof code === 'string' && error instanceof Error ? error.message : error)
    process.exit(1)
  }
}
