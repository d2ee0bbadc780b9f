import autocannon from 'autocannon'
import { setCookiesOf } from './cookie-jar.mjs'
import { LatencyHistogram } from './latency-histogram.mjs'

/**
 * Drives `connections` keep-alive connections at `url` for `seconds` with autocannon's
 * programmatic API. Connection i carries the cookies of `jars[i % jars.length]` (none when
 * `jars` is empty) and follows every Set-Cookie it receives, as a browser tab would: the
 * request autocannon pre-builds is rebuilt only when that connection's cookies change.
 * Returns the responses counted here (all statuses), the non-2xx ones, how often a
 * connection's cookies changed, errors, timeouts, the wall time and the latency histogram.
 */
export async function generateLoad({ url, connections, seconds, jars }) {
  const histogram = new LatencyHistogram()
  let responses = 0
  let non2xx = 0
  let cookieChanges = 0
  let next = 0
  const started = process.hrtime.bigint()
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        sampleInt: 100, // autocannon stops on a sample tick: keep the overrun short
        timeout: 10,
        setupClient(client) {
          const jar = jars.length === 0 ? undefined : jars[next++ % jars.length]
          if (jar === undefined) return
          if (jar.header !== '') client.setHeaders({ cookie: jar.header })
          client.on('headers', (response) => {
            if (jar.absorb(setCookiesOf(response.headers))) {
              cookieChanges++
              client.setHeaders(jar.header === '' ? {} : { cookie: jar.header })
            }
          })
        },
      },
      (error, output) => (error ? reject(error) : resolve(output)),
    )
    instance.on('response', (_client, status, _bytes, ms) => {
      responses++
      if (status < 200 || status > 299) non2xx++
      histogram.record(ms)
    })
  })
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
  return {
    responses,
    non2xx,
    cookieChanges,
    errors: result.errors,
    timeouts: result.timeouts,
    wallSeconds,
    histogram,
  }
}
