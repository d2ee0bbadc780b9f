import { mintSessions } from './http-client.mjs'
import { generateLoad } from './load-generator.mjs'
import { waitMicrosOf } from './server-process.mjs'

/** The cookie jars a scenario's connections start with (the setup step of the load model). */
async function jarsFor(server, scenario, connections) {
  if (scenario.cookies === 'none') return []
  if (scenario.cookies === 'per-connection') return mintSessions(server.url, connections)
  const [shared] = await mintSessions(server.url, 1)
  return Array.from({ length: connections }, () => shared.clone())
}

/**
 * One measured window: mint the sessions, warm up on the same route with the same
 * connections' cookies, then measure. The server's CPU time (from /proc), the load
 * generator's own CPU time, the time each waited for a CPU (other processes on its core) and,
 * with Redis, the commands Redis ran are read around the measured part only.
 */
export async function measureWindow({ server, scenario, settings, redis }) {
  const { connections } = settings
  const jars = await jarsFor(server, scenario, connections)
  const url = `${server.url}${scenario.path}`
  await generateLoad({ url, connections, seconds: settings.warmupSeconds, jars })

  if (redis !== undefined) await redis.resetStats()
  const cpuBefore = server.cpuMicros()
  const waitBefore = server.waitMicros()
  const loadWaitBefore = waitMicrosOf(process.pid)
  const loadCpuBefore = process.cpuUsage()
  const load = await generateLoad({ url, connections, seconds: settings.windowSeconds, jars })
  const loadCpu = process.cpuUsage(loadCpuBefore)
  const serverMicros = server.cpuMicros() - cpuBefore
  const serverWait = server.waitMicros() - waitBefore
  const loadWait = waitMicrosOf(process.pid) - loadWaitBefore
  const redisCalls = redis === undefined ? undefined : await redis.commandStats()
  if (!server.alive()) throw new Error(`server ${server.name} died:\n${server.stderr()}`)

  const { responses, wallSeconds } = load
  return {
    requests: responses,
    rps: responses / wallSeconds,
    p50: load.histogram.percentile(50),
    p99: load.histogram.percentile(99),
    cpuUsPerRequest: responses === 0 ? Number.NaN : serverMicros / responses,
    serverCpuPercent: (serverMicros / (wallSeconds * 1e6)) * 100,
    loadCpuPercent: ((loadCpu.user + loadCpu.system) / (wallSeconds * 1e6)) * 100,
    serverWaitPercent: (serverWait / (wallSeconds * 1e6)) * 100,
    loadWaitPercent: (loadWait / (wallSeconds * 1e6)) * 100,
    cookieChangesPerRequest: load.cookieChanges / Math.max(responses, 1),
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
    redisCommandsPerRequest:
      redisCalls === undefined ? undefined : perRequest(redisCalls, Math.max(responses, 1)),
  }
}

function perRequest(calls, requests) {
  const result = {}
  for (const [command, n] of Object.entries(calls)) result[command] = n / requests
  return result
}
