import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, requireService, type ServiceHandle, tcpAnswers, waitFor } from './service.js'

/** Where suites find PostgreSQL unless `POSTGRES_URL` says otherwise. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test'
/** Where suites find MySQL/MariaDB unless `MYSQL_URL` says otherwise. */
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test'

/** Resolves true when something accepts TCP connections at the URL's host and port. */
export function urlAnswers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return tcpAnswers(hostname || '127.0.0.1', port ? Number(port) : defaultPort)
}

/**
 * PostgreSQL for a suite: `POSTGRES_URL` (default {@link DEFAULT_POSTGRES_URL}) if it
 * answers, else a private server in a temp dir (see {@link startPrivatePostgres}), else
 * null after one loud skip line (a failure under `CI=true`).
 */
export function requirePostgres(): Promise<ServiceHandle | null> {
  return requireService({
    name: 'PostgreSQL',
    url: process.env.POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
    answers: (url) => urlAnswers(url, 5432),
    startPrivate: startPrivatePostgres,
    howToGet:
      'start PostgreSQL, set POSTGRES_URL=postgres://user@host:port/db, or install the server (apt-get install postgresql) so the suite can start its own.',
  })
}

/**
 * MySQL/MariaDB for a suite: `MYSQL_URL` (default {@link DEFAULT_MYSQL_URL}) if it answers,
 * else a private MariaDB in a temp dir (see {@link startPrivateMariadb}), else null after
 * one loud skip line (a failure under `CI=true`).
 */
export function requireMysql(): Promise<ServiceHandle | null> {
  return requireService({
    name: 'MySQL/MariaDB',
    url: process.env.MYSQL_URL ?? DEFAULT_MYSQL_URL,
    answers: (url) => urlAnswers(url, 3306),
    startPrivate: startPrivateMariadb,
    howToGet:
      'start MySQL or MariaDB, set MYSQL_URL=mysql://user:password@host:port/db, or install mariadb-server so the suite can start its own.',
  })
}

/**
 * Starts a throwaway PostgreSQL (initdb + postgres from /usr/lib/postgresql/<newest>/bin)
 * in a temp dir on a free port, trust auth, and returns `postgres://postgres@127.0.0.1:<port>/postgres`.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user. Returns
 * null when the binaries (or, as root, that user) are missing.
 */
export async function startPrivatePostgres(): Promise<ServiceHandle | null> {
  const bin = postgresBinDir()
  if (!bin) return null
  // As root, run the server as `postgres` (spawn's uid/gid: signals reach the server itself).
  const owner = process.getuid?.() === 0 ? userIds('postgres') : undefined
  if (owner === null) return null
  const dir = mkdtempSync(join(tmpdir(), 'tessera-pg-'))
  const data = join(dir, 'data')
  try {
    if (owner) chownSync(dir, owner.uid, owner.gid)
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
      { stdio: 'ignore', timeout: 60_000, ...owner },
    )
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    console.warn(`Could not initialise a private PostgreSQL: ${String(error)}`)
    return null
  }
  const port = await freePort()
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'synchronous_commit=off',
    ],
    { stdio: 'ignore', ...owner },
  )
  const ready = join(bin, 'pg_isready')
  return privateServer({
    name: 'PostgreSQL',
    child,
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // A TCP accept comes before the server takes queries; pg_isready waits for that.
    ready: async () =>
      existsSync(ready)
        ? exitsZero(ready, ['-q', '-h', '127.0.0.1', '-p', String(port)])
        : tcpAnswers('127.0.0.1', port),
    stopSignal: 'SIGINT', // fast shutdown
  })
}

/**
 * Starts a throwaway MariaDB (mariadb-install-db + mariadbd) in a temp dir on a free port,
 * root without a password, and returns `mysql://root@127.0.0.1:<port>/test`. Returns null
 * when the binaries are missing.
 */
export async function startPrivateMariadb(): Promise<ServiceHandle | null> {
  const installDb = findExecutable('mariadb-install-db') ?? findExecutable('mysql_install_db')
  const server = findExecutable('mariadbd') ?? findExecutable('mysqld')
  if (!installDb || !server) return null
  const dir = mkdtempSync(join(tmpdir(), 'tessera-mariadb-'))
  const data = join(dir, 'data')
  const user = process.getuid?.() === 0 ? ['--user=root'] : []
  try {
    execFileSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${data}`,
        '--auth-root-authentication-method=normal',
        '--skip-name-resolve',
        ...user,
      ],
      { stdio: 'ignore', timeout: 120_000 },
    )
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    console.warn(`Could not initialise a private MariaDB: ${String(error)}`)
    return null
  }
  const port = await freePort()
  const child = spawn(
    server,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=0',
      `--init-file=${writeInitFile(dir)}`,
      ...user,
    ],
    { stdio: 'ignore' },
  )
  return privateServer({
    name: 'MariaDB',
    child,
    dir,
    url: `mysql://root@127.0.0.1:${port}/test`,
    ready: () => tcpAnswers('127.0.0.1', port),
    stopSignal: 'SIGTERM',
  })
}

interface PrivateServer {
  name: string
  child: ChildProcess
  dir: string
  url: string
  ready: () => Promise<boolean>
  stopSignal: NodeJS.Signals
}

async function privateServer(server: PrivateServer): Promise<ServiceHandle | null> {
  const { child, dir } = server
  let exited = false
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true
      resolve()
    }),
  )
  child.once('error', () => {
    exited = true
  })
  // If the test process dies without calling stop(), take the server and its files along.
  const onExit = () => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', onExit)
  const stop = async () => {
    process.removeListener('exit', onExit)
    if (!exited) {
      child.kill(server.stopSignal)
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exitedPromise
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(
      `private ${server.name}`,
      async () => {
        if (exited)
          throw new Error(`private ${server.name} exited during start-up (files in ${dir})`)
        return server.ready()
      },
      60_000,
    )
  } catch (error) {
    await stop()
    console.warn(String(error))
    return null
  }
  console.warn(
    `Started a private ${server.name} at ${server.url} (pid ${child.pid}) for this suite.`,
  )
  return { url: server.url, stop }
}

function writeInitFile(dir: string): string {
  const file = join(dir, 'init.sql')
  // install-db may or may not create `test`; the suites expect it.
  writeFileSync(file, 'CREATE DATABASE IF NOT EXISTS test;\n')
  return file
}

function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    const bin = join(root, version, 'bin')
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin
  }
  return null
}

function findExecutable(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin', '/sbin']
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, name))) return join(dir, name)
  }
  return null
}

/** uid and gid of a user, or null when there is no such user. */
function userIds(name: string): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name]).toString().trim())
    const gid = Number(execFileSync('id', ['-g', name]).toString().trim())
    return { uid, gid }
  } catch {
    return null
  }
}

function exitsZero(file: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore' })
    child.once('error', () => resolve(false))
    child.once('exit', (code) => resolve(code === 0))
  })
}
