import { execFile } from 'node:child_process'
import { type RedisServerHandle, startRedisServer, waitFor } from '@tessera/test-support'

/** A Redis Cluster this test started: three primaries, each with one replica, on 127.0.0.1. */
export interface ReplicatedCluster {
  readonly servers: readonly RedisServerHandle[]
  /** The primaries' addresses, as an ioredis `Cluster` takes them. */
  readonly nodes: ReadonlyArray<{ host: '127.0.0.1'; port: number }>
  /** The server that is currently the primary of `port`'s role, by port. */
  server(port: number): RedisServerHandle
  /** Runs `redis-cli -p <port> <args>` and returns its output. */
  cli(port: number, ...args: string[]): Promise<string>
  stop(): Promise<void>
}

const cliBin = process.env.REDIS_CLI_BIN ?? 'redis-cli'

function run(args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cliBin, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(' ')}: ${error.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

/**
 * Starts six cluster-enabled `redis-server`s (own ports and temp dirs, append-only files)
 * and joins them with `redis-cli --cluster create --cluster-replicas 1`, so a killed primary
 * fails over to its replica after `nodeTimeoutMs`. Resolves once every node reports
 * `cluster_state:ok` and every replica's link to its primary is up.
 */
export async function startReplicatedCluster(nodeTimeoutMs = 1_000): Promise<ReplicatedCluster> {
  const servers: RedisServerHandle[] = []
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()))
  }
  try {
    for (let i = 0; i < 6; i++) {
      servers.push(
        await startRedisServer({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(nodeTimeoutMs),
            '--appendonly',
            'yes',
          ],
        }),
      )
    }
    await run([
      '--cluster',
      'create',
      ...servers.map((server) => `127.0.0.1:${server.port}`),
      '--cluster-replicas',
      '1',
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
      // A replica that never finished its first sync would not take over: wait for the link.
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
      cli: (port, ...args) => run(['-p', String(port), ...args]),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
