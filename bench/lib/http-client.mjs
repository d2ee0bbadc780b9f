import { Agent, request } from 'node:http'
import { CookieJar } from './cookie-jar.mjs'

/** One GET; resolves with the status, the body and the Set-Cookie lines. */
export function get(baseUrl, path, { cookie = '', agent } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      agent,
      headers: cookie === '' ? {} : { cookie },
      timeout: 10_000,
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after 10 s`)))
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode, body, setCookies: setCookies(res) }))
      res.on('error', reject)
    })
    req.end()
  })
}

function setCookies(res) {
  const value = res.headers['set-cookie']
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}

/**
 * The setup step of the load model: `count` new sessions, each made by one `/hit` (so it
 * holds `views: 1` and exists in the store), returned as one cookie jar per session. A
 * library without sessions (bare) gives empty jars.
 */
export async function mintSessions(baseUrl, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: Math.min(count, 50) })
  try {
    return await Promise.all(
      Array.from({ length: count }, async () => {
        const response = await get(baseUrl, '/hit', { agent })
        if (response.status !== 200) {
          throw new Error(`minting a session: GET /hit answered ${response.status}`)
        }
        const jar = new CookieJar()
        jar.absorb(response.setCookies)
        return jar
      }),
    )
  } finally {
    agent.destroy()
  }
}
