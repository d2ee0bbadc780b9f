import { execFileSync } from 'node:child_process'
import { RedisStore } from '@tessera/redis'
import { redisServerInstalled, skipOrFail, waitFor } from '@tessera/test-support'
import { Cluster } from 'ioredis'
import { afterAll, describe, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'
import { type ReplicatedCluster, startReplicatedCluster } from '../src/redis-cluster.js'

// The test's own Redis Cluster (three primaries, one replica each): one primary is killed
// under load and its replica takes over. Nothing repairs it by hand.
const cliInstalled = (() => {
  try {
    execFileSync(process.env.REDIS_CLI_BIN ?? 'redis-cli', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
const installed = redisServerInstalled() && cliInstalled
if (!installed) skipOrFail('Redis Cluster fault', 'redis-server and redis-cli are not installed')

describe.skipIf(!installed)('faults under load: Redis Cluster', () => {
  let cluster: ReplicatedCluster | undefined
  let client: Cluster | undefined
  afterAll(async () => {
    client?.disconnect()
    await cluster?.stop()
  })

  it('a primary killed: its replica takes over; only 503s meanwhile, no session lost', async () => {
    cluster = await startReplicatedCluster(1_000)
    const nodes = cluster.nodes
    client = new Cluster([...nodes], {
      enableAutoPipelining: true,
      clusterRetryStrategy: () => 100,
      redisOptions: { maxRetriesPerRequest: 1 },
    })
    client.on('error', () => {}) // the killed node's connection errors
    // A hash-tag-free prefix: sessions spread over all three primaries.
    const store = new RedisStore({ client, prefix: 'faults:' })
    const victim = nodes[0]!
    const running = cluster
    const report = await runFault({
      name: 'Redis Cluster primary killed (replica failover)',
      store,
      inject: async () => {
        await running.server(victim.port).kill()
      },
      faultMs: 0,
    })
    console.info(describeReport(report))
    // The failover itself: a former replica now serves the victim's slots.
    await waitFor('a promoted replica', async () => {
      for (const server of running.servers) {
        if (server.port === victim.port) continue
        const info = await running.cli(server.port, 'cluster', 'info')
        if (!info.includes('cluster_state:ok')) return false
      }
      return true
    })
    expectFaultHandled(report, 15_000)
  })
})
