// The Redis README's standalone, Sentinel and Cluster clients.
// #region topologies
import { RedisStore } from '@tessera/redis'
import { Cluster, Redis } from 'ioredis'

type Node = { host: string; port: number }

// standalone
export const standaloneClient = (url = 'redis://127.0.0.1:6379') =>
  new Redis(url, { maxRetriesPerRequest: 1 })

// Sentinel: ioredis finds the current master and follows failovers
export const sentinelClient = (sentinels: Node[], name = 'mymaster') =>
  new Redis({ sentinels, name, maxRetriesPerRequest: 1 })

// Cluster
export const clusterClient = (nodes: Node[]) =>
  new Cluster(nodes, { enableAutoPipelining: true, redisOptions: { maxRetriesPerRequest: 1 } })

// The store takes any of the three, e.g.
// new RedisStore({ client: sentinelClient([{ host: 'sentinel-1', port: 26379 }]) })
export const redisStore = (client: Redis | Cluster) => new RedisStore({ client })
// #endregion topologies
