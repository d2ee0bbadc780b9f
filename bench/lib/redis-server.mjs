import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { pinned, stopChild } from './server-process.mjs'

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/**
 * A private redis-server (own port, temporary directory, no persistence) started from the
 * installed binary, so CONFIG RESETSTAT and INFO commandstats see only the benchmark's
 * commands and the shared Redis is never touched. Resolves to undefined when there is no
 * binary.
 */
export async function startPrivateRedis({ cpu, binary = process.env.REDIS_SERVER_BIN }) {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-redis-'))
  const redisArgs = ['--port', String(port), '--bind', '127.0.0.1', '--save', '']
  redisArgs.push('--appendonly', 'no', '--dir', dir, '--daemonize', 'no')
  const { command, args } = pinned(cpu, binary ?? 'redis-server', redisArgs)
  const child = spawn(command, args, { stdio: 'ignore' })
  let exited = false
  const started = await new Promise((resolve) => {
    child.once('error', () => resolve(false))
    child.once('exit', () => {
      exited = true
      resolve(false)
    })
    setTimeout(() => resolve(true), 200)
  })
  if (!started) {
    rmSync(dir, { recursive: true, force: true })
    return undefined
  }
  const url = `redis://127.0.0.1:${port}`
  const admin = new Redis(url, { maxRetriesPerRequest: 3, retryStrategy: (n) => n * 50 })
  await admin.ping()
  const version = (await admin.info('server')).match(/redis_version:(\S+)/)?.[1] ?? '?'
  return {
    url,
    version,
    resetStats: () => admin.config('RESETSTAT'),
    /** Calls per command since the last reset, without the bench's own INFO and CONFIG. */
    async commandStats() {
      const calls = {}
      for (const line of (await admin.info('commandstats')).split('\n')) {
        const match = line.match(/^cmdstat_([^:]+):calls=(\d+)/)
        if (match === null || /^(info|config)/.test(match[1])) continue
        calls[match[1]] = Number(match[2])
      }
      return calls
    },
    async stop() {
      await admin.quit().catch(() => {})
      await stopChild(child, () => exited)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
