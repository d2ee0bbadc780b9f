import { randomUUID } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'

/** A prefix no other test or run uses, so suites can share a server. */
export function uniquePrefix(label: string): string {
  return `tessera-test:${label}:${randomUUID().slice(0, 8)}:`
}

/** Deletes every key under `prefix` on a standalone server or on each Cluster master. */
export async function deleteKeys(client: Redis | Cluster, prefix: string): Promise<void> {
  const nodes = 'nodes' in client && client.isCluster ? client.nodes('master') : [client as Redis]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500)
      cursor = next
      for (const key of keys) await node.del(key)
    } while (cursor !== '0')
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&')
}

/**
 * Runs `work` and returns the commands clients sent meanwhile, by name, as MONITOR sees them
 * on each server of `admins` (one per Cluster master): the commands a script runs inside
 * Redis (source `lua`) are not counted, only what travelled over the network.
 */
export async function countCommands(
  admins: Redis | Redis[],
  work: () => Promise<unknown>,
  /** `'lua'`: count the commands scripts run instead of those clients send. */
  source: 'client' | 'lua' = 'client',
): Promise<Record<string, number>> {
  const servers = Array.isArray(admins) ? admins : [admins]
  const counts: Record<string, number> = {}
  const marker = `end-of-count-${randomUUID()}`
  const monitors = await Promise.all(servers.map((admin) => admin.monitor()))
  const seen = monitors.map(
    (monitor) =>
      new Promise<void>((resolve) => {
        monitor.on('monitor', (_time: string, args: string[], origin: string) => {
          const name = String(args[0]).toLowerCase()
          if (name === 'echo' && args[1] === marker) return resolve()
          if ((origin === 'lua') !== (source === 'lua')) return
          counts[name] = (counts[name] ?? 0) + 1
        })
      }),
  )
  try {
    await work()
    await Promise.all(servers.map((admin) => admin.echo(marker)))
    await Promise.all(seen)
  } finally {
    for (const monitor of monitors) monitor.disconnect()
  }
  return counts
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0)
}
