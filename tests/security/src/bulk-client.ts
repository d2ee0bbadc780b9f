import { Agent, type IncomingHttpHeaders, request } from 'node:http'

/** What {@link BulkClient.request} returns: status, headers and the body as text. */
export interface BulkResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/**
 * A lean HTTP client over `node:http` with keep-alive sockets, for the checks and fuzzers
 * that send thousands of requests (several times cheaper per request than `fetch`). Header
 * values go out as given (latin1), so bytes 0x80–0xFF reach the server; Node refuses NUL,
 * CR and LF itself (the raw socket helper sends those).
 */
export class BulkClient {
  readonly #agent: Agent

  constructor(
    private readonly port: number,
    maxSockets = 8,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets })
  }

  request(
    method: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<BulkResponse> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.#agent },
        (incoming) => {
          let body = ''
          incoming.setEncoding('latin1')
          incoming.on('data', (chunk: string) => {
            body += chunk
          })
          incoming.on('error', reject)
          incoming.on('end', () =>
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body }),
          )
        },
      )
      outgoing.on('error', reject)
      outgoing.end()
    })
  }

  /** The `Set-Cookie` lines of a response. */
  static setCookies(response: BulkResponse): string[] {
    return response.headers['set-cookie'] ?? []
  }

  close(): void {
    this.#agent.destroy()
  }
}
