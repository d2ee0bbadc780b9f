import { RedisStore } from '@tessera/redis'
import {
  type RedisClusterHandle,
  redisClusterInstalled,
  skipOrFail,
  startRedisCluster,
  waitFor,
} from '@tessera/test-support'
import { Cluster } from 'ioredis'
import { afterAll, describe, it } from 'vitest'
import { expectFaultHandled } from '../src/expect-fault.js'
import { describeReport, runFault } from '../src/fault-run.js'

// The test's own Redis Cluster (three primaries, one replica each): one primary is killed
// under load and its replica takes over. Nothing repairs it by hand.
const installed = redisClusterInstalled()
if (!installed) skipOrFail('Redis Cluster fault', 'redis-server and redis-cli are not installed')

describe.skipIf(!installed)('faults under load: Redis Cluster', () => {
  let cluster: RedisClusterHandle | null | undefined
  let client: Cluster | undefined
  afterAll(async () => {
    client?.disconnect()
    await cluster?.stop()
  })

  it('a primary killed: its replica takes over; only 503s meanwhile, no session lost', async () => {
    cluster = await startRedisCluster({ replicas: 1, nodeTimeoutMs: 1_000, appendonly: true })
    if (!cluster)
      throw new Error('redis-server and redis-cli are installed, yet no cluster started')
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
