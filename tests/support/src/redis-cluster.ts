import { execFile } from 'node:child_process'
import { binaryInstalled, type RedisServerHandle, startRedisServer } from './redis-server.js'
import { waitFor } from './service.js'

const cliBin = process.env.REDIS_CLI_BIN ?? 'redis-cli'

/** A Redis Cluster this process started, on 127.0.0.1: own ports and temp dirs. */
export interface RedisClusterHandle {
  readonly servers: readonly RedisServerHandle[]
  /** The primaries' addresses, as an ioredis `Cluster` takes them. */
  readonly nodes: ReadonlyArray<{ host: '127.0.0.1'; port: number }>
  /** The node listening on `port`. */
  server(port: number): RedisServerHandle
  /** Runs `redis-cli -p <port> <args>` and returns its output. */
  cli(port: number, ...args: string[]): Promise<string>
  /** Stops every node and removes their dirs. */
  stop(): Promise<void>
}

/** The shape of a cluster {@link startRedisCluster} starts. */
export interface RedisClusterOptions {
  /** Primaries (default 3). */
  masters?: number
  /** Replicas per primary (default 0); with one, a killed primary fails over. */
  replicas?: number
  /** `cluster-node-timeout`: how long until a silent node counts as failed (default 2000). */
  nodeTimeoutMs?: number
  /** Append-only files on every node (default off). */
  appendonly?: boolean
}

/** True when both `redis-server` and `redis-cli` are installed. */
export function redisClusterInstalled(): boolean {
  return binaryInstalled(process.env.REDIS_SERVER_BIN ?? 'redis-server') && binaryInstalled(cliBin)
}

function run(args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cliBin, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

/**
 * Starts cluster-enabled `redis-server`s and joins them with `redis-cli --cluster create`,
 * then waits until every node reports `cluster_state:ok` and every replica's link to its
 * primary is up (a replica that never finished its first sync would not take over). Returns
 * null when `redis-server` or `redis-cli` is not installed.
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterHandle | null> {
  if (!redisClusterInstalled()) return null
  const { masters = 3, replicas = 0, nodeTimeoutMs = 2000, appendonly = false } = options
  const servers: RedisServerHandle[] = []
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()))
  }
  const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf']
  args.push('--cluster-node-timeout', String(nodeTimeoutMs))
  if (appendonly) args.push('--appendonly', 'yes')
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      servers.push(await startRedisServer({ args }))
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`)
    await run([
      '--cluster',
      'create',
      ...addresses,
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ])
    for (const server of servers) {
      await waitFor(`cluster node ${server.port}`, async () =>
        (await run(['-p', String(server.port), 'cluster', 'info'])).includes('cluster_state:ok'),
      )
    }
    const primaries: number[] = []
    for (const server of servers) {
      const role = await run(['-p', String(server.port), 'role'])
      if (role.startsWith('master')) {
        primaries.push(server.port)
        continue
      }
      await waitFor(`replica ${server.port} in sync`, async () =>
        (await run(['-p', String(server.port), 'info', 'replication'])).includes(
          'master_link_status:up',
        ),
      )
    }
    return {
      servers,
      nodes: primaries.map((port) => ({ host: '127.0.0.1' as const, port })),
      server(port) {
        const found = servers.find((server) => server.port === port)
        if (!found) throw new Error(`no cluster node on port ${port}`)
        return found
      },
      cli: (port, ...cliArgs) => run(['-p', String(port), ...cliArgs]),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
