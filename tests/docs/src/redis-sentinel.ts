import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startRedisServer, tcpAnswers, waitFor } from '@tessera/test-support'

/** A private Redis master and one Sentinel watching it, both on 127.0.0.1. */
export interface SentinelSetup {
  sentinels: Array<{ host: string; port: number }>
  /** The master name the Sentinel knows the server by. */
  name: string
  stop(): Promise<void>
}

/**
 * Starts a private `redis-server` and a Sentinel (`redis-server <conf> --sentinel`, which
 * needs a config file it can rewrite) monitoring it as `mymaster`; resolves once the Sentinel
 * answers. Throws when redis-server is missing (callers check `redisServerInstalled()`).
 */
export async function startSentinel(name = 'mymaster'): Promise<SentinelSetup> {
  const master = await startRedisServer()
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'tessera-sentinel-'))
  const conf = join(dir, 'sentinel.conf')
  writeFileSync(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `logfile ${join(dir, 'sentinel.log')}`,
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 5000`,
      '',
    ].join('\n'),
  )
  const child = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', [conf, '--sentinel'], {
    stdio: 'ignore',
  })
  const stop = async () => {
    child.kill('SIGKILL')
    await master.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(
      `redis sentinel on port ${port}`,
      () => tcpAnswers('127.0.0.1', port, 500),
      10_000,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { sentinels: [{ host: '127.0.0.1', port }], name, stop }
}
