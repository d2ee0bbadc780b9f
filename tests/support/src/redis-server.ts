import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, requireService, type ServiceHandle, tcpAnswers, waitFor } from './service.js'

/** The Redis a suite uses first: `REDIS_URL`, else the local default. */
export const defaultRedisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'

const serverBin = process.env.REDIS_SERVER_BIN ?? 'redis-server'

/** True when `bin --version` runs. */
export function binaryInstalled(bin: string): boolean {
  const result = spawnSync(bin, ['--version'], { stdio: 'ignore' })
  return result.status === 0
}

/** True when `redis-server` (or `REDIS_SERVER_BIN`) is installed. */
export function redisServerInstalled(): boolean {
  return binaryInstalled(serverBin)
}

/** True when a TCP connection to the URL's host and port opens. */
export function redisAnswers(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return tcpAnswers(hostname || '127.0.0.1', Number(port || 6379))
}

/** A `redis-server` process this test process started: its own port and temp dir. */
export interface RedisServerHandle extends ServiceHandle {
  readonly host: '127.0.0.1'
  readonly port: number
  readonly dir: string
  /** Kills the process at once (SIGKILL), as a crash would; the dir stays for `start()`. */
  kill(): Promise<void>
  /** Starts the server again on the same port and dir (after `kill()`), and waits until it answers. */
  start(): Promise<void>
}

export interface StartRedisServerOptions {
  /** Default: a free port. */
  port?: number
  /** Extra `redis-server` arguments, e.g. `['--appendonly', 'yes']`. */
  args?: string[]
  /** Default: a new temp dir, removed by `stop()`. */
  dir?: string
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

function launch(args: string[]): ChildProcess {
  const child = spawn(serverBin, args, { stdio: 'ignore' })
  running.add(child)
  child.once('exit', () => running.delete(child))
  child.once('error', () => running.delete(child))
  return child
}

function ended(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill(signal)
  })
}

/**
 * Starts a private `redis-server` bound to 127.0.0.1 (no persistence unless `args` asks),
 * and resolves once it accepts connections. Throws when the binary is missing.
 */
export async function startRedisServer(
  options: StartRedisServerOptions = {},
): Promise<RedisServerHandle> {
  const port = options.port ?? (await freePort())
  const ownDir = options.dir === undefined
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tessera-redis-'))
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
    ...(options.args ?? []),
  ]
  let child: ChildProcess | null = null
  const start = async () => {
    child = launch(args)
    const current = child
    let failed: Error | null = null
    current.once('error', (error) => {
      failed = error
    })
    await waitFor(
      `redis-server on port ${port}`,
      async () => {
        if (failed) throw failed
        if (current.exitCode !== null)
          throw new Error(`redis-server exited with ${current.exitCode}; see ${dir}/redis.log`)
        return tcpAnswers('127.0.0.1', port, 500)
      },
      10_000,
    )
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    dir,
    start,
    async kill() {
      if (child) await ended(child, 'SIGKILL')
    },
    async stop() {
      if (child) await ended(child, 'SIGTERM')
      if (ownDir) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The Redis a suite should use: `REDIS_URL` (or 127.0.0.1:6379) when it answers, else a private
 * `redis-server` when the binary is installed, else null after one loud skip line (under
 * `CI=true` it throws instead).
 */
export function requireRedis(): Promise<ServiceHandle | null> {
  return requireService({
    name: 'Redis',
    url: defaultRedisUrl,
    answers: redisAnswers,
    startPrivate: async () => (redisServerInstalled() ? startRedisServer() : null),
    howToGet: 'install redis-server (apt-get install redis-server) or set REDIS_URL',
  })
}
