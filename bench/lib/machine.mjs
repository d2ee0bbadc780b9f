import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))

const PACKAGES = [
  'express',
  'express-session',
  'connect-redis',
  'koa',
  'koa-session',
  'hono',
  '@hono/node-server',
  'hono-sessions',
  'ioredis',
  'kysely',
  'better-sqlite3',
  'pg',
  'autocannon',
  '@tessera/core',
  '@tessera/express',
  '@tessera/koa',
  '@tessera/hono',
  '@tessera/redis',
  '@tessera/kysely',
]

function quietly(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return undefined
  }
}

/** Installed versions, read from bench/node_modules (pnpm links each dependency there). */
export function packageVersions() {
  const versions = {}
  for (const name of PACKAGES) {
    try {
      const manifest = join(BENCH_DIR, 'node_modules', name, 'package.json')
      versions[name] = JSON.parse(readFileSync(manifest, 'utf8')).version
    } catch {
      versions[name] = 'not installed'
    }
  }
  return versions
}

/**
 * The machine and where the processes run: server children on CPU 1 and the load generator
 * (this process, and the private Redis) on CPU 0, when there are two CPUs and `taskset`.
 */
export function describeMachine() {
  const cpuinfo = quietly('cat', ['/proc/cpuinfo']) ?? ''
  const cores = os.availableParallelism()
  const hasTaskset = quietly('taskset', ['-V']) !== undefined
  const pinning = cores >= 2 && hasTaskset ? { server: 1, load: 0 } : undefined
  return {
    cpuModel: cpuinfo.match(/model name\s*:\s*(.+)/)?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?',
    cores,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os.loadavg(), // other processes on the machine make the figures noisy
    pinning,
    pinningNote:
      pinning !== undefined
        ? 'server on CPU 1; load generator and private Redis on CPU 0 (taskset)'
        : `not pinned (${cores < 2 ? 'one CPU' : 'taskset missing: install util-linux'})`,
    commit: quietly('git', ['-C', BENCH_DIR, 'rev-parse', '--short', 'HEAD'])?.trim() ?? '?',
  }
}

/** Moves this process (all its threads) to `cpu`. */
export function pinSelf(cpu) {
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' })
}
