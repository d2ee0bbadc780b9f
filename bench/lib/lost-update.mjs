import { Agent } from 'node:http'
import { get, mintSessions } from './http-client.mjs'

/**
 * The lost-update check: one session, then `count` concurrent `/append?i=N` requests carrying
 * its cookie, each on its own connection; then `/items` with the cookie a browser would hold
 * at the end (the last Set-Cookie received wins). Counts how many distinct items survived.
 */
export async function lostUpdateCheck(baseUrl, count = 100) {
  const [jar] = await mintSessions(baseUrl, 1)
  const sent = jar.header
  const last = jar.clone()
  const agent = new Agent({ keepAlive: false, maxSockets: count })
  let failed = 0
  try {
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const response = await get(baseUrl, `/append?i=${i}`, { cookie: sent, agent })
        if (response.status !== 200) failed++
        last.absorb(response.setCookies)
      }),
    )
  } finally {
    agent.destroy()
  }
  const final = await get(baseUrl, '/items', { cookie: last.header })
  const items = final.status === 200 ? JSON.parse(final.body) : []
  const kept = new Set(items.filter((item) => Number.isInteger(item) && item < count)).size
  return { sent: count, kept, failed }
}
