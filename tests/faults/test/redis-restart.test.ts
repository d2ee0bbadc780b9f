import { RedisStore } from '@tessera/redis'
import {
  type RedisServerHandle,
  redisServerInstalled,
  skipOrFail,
  startRedisServer,
} from '@tessera/test-support'
import { Redis } from 'ioredis'
import { afterAll, describe, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'

// A private redis-server (append-only file, fsync on every write) is killed with SIGKILL under
// load and started again on the same port and data dir.
const installed = redisServerInstalled()
if (!installed) skipOrFail('Redis fault', 'redis-server is not installed')

describe.skipIf(!installed)('faults under load: Redis', () => {
  let server: RedisServerHandle | undefined
  let client: Redis | undefined
  afterAll(async () => {
    client?.disconnect()
    await server?.stop()
  })

  it('killed (SIGKILL) and restarted: only 503s meanwhile, recovery without a restart, no session lost', async () => {
    server = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] })
    const redis = server
    client = new Redis(redis.url, {
      maxRetriesPerRequest: 1,
      enableAutoPipelining: true,
      retryStrategy: () => 100,
    })
    client.on('error', () => {}) // reconnect errors while the server is down
    const report = await runFault({
      name: 'Redis killed and restarted',
      store: new RedisStore({ client, prefix: 'faults:' }),
      inject: () => redis.kill(),
      repair: () => redis.start(),
    })
    console.info(describeReport(report))
    expectFaultHandled(report, 10_000)
  })
})
