import autocannon from 'autocannon'

/** One response the load saw: when (ms since the load started), from which app, what status. */
export interface LoadSample {
  at: number
  target: string
  status: number
}

/** An app under load, and the cookies of the sessions its connections use. */
export interface LoadTarget {
  name: string
  url: string
  /** Connection i sends `cookies[i % cookies.length]`; reads and updates that session. */
  cookies: readonly string[]
}

export interface LoadOptions {
  /** Keep-alive connections per target on existing sessions. Default 4. */
  connections?: number
  /** Requests per second per target, over those connections. Default 150. */
  rate?: number
  /** Requests per second per target that start new sessions (no cookie). Default 20. */
  newSessionRate?: number
}

/** A running load; `stop()` ends it and returns every sample and the client-side failures. */
export interface RunningLoad {
  readonly startedAt: number
  readonly samples: LoadSample[]
  /** Milliseconds since the load started. */
  elapsed(): number
  stop(): Promise<{ samples: LoadSample[]; socketErrors: number; timeouts: number }>
}

/**
 * Drives every target with autocannon on 127.0.0.1: on existing sessions, alternating
 * `GET /read` and `POST /inc?key=hits` (each connection its own session, so no write
 * conflicts), plus a trickle of `POST /set` without a cookie that creates new sessions.
 * Rates are capped so the machine is shared fairly; samples are timestamped as they arrive.
 */
export function startLoad(targets: readonly LoadTarget[], options: LoadOptions = {}): RunningLoad {
  const startedAt = Date.now()
  const samples: LoadSample[] = []
  let socketErrors = 0
  const instances: Array<{ instance: autocannon.Instance; done: Promise<autocannon.Result> }> = []
  const launch = (target: LoadTarget, opts: autocannon.Options): void => {
    let instance: autocannon.Instance | undefined
    const done = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(opts, (error, result) => (error ? reject(error) : resolve(result)))
    })
    if (!instance) throw new Error('autocannon did not start')
    instance.on('response', (_client, status) => {
      samples.push({ at: Date.now() - startedAt, target: target.name, status })
    })
    instance.on('reqError', () => {
      socketErrors++
    })
    instances.push({ instance, done })
  }
  for (const target of targets) {
    const connections = options.connections ?? 4
    let next = 0
    launch(target, {
      url: target.url,
      connections,
      overallRate: options.rate ?? 150,
      duration: 600,
      timeout: 10,
      requests: [
        { method: 'GET', path: '/read' },
        { method: 'POST', path: '/inc?key=hits' },
      ],
      setupClient(client) {
        const cookie = target.cookies[next++ % target.cookies.length]
        if (cookie) client.setHeaders({ cookie })
      },
    })
    launch(target, {
      url: target.url,
      connections: 1,
      overallRate: options.newSessionRate ?? 20,
      duration: 600,
      timeout: 10,
      requests: [{ method: 'POST', path: '/set?key=fresh&value=1' }],
    })
  }
  return {
    startedAt,
    samples,
    elapsed: () => Date.now() - startedAt,
    async stop() {
      for (const { instance } of instances) instance.stop()
      const results = await Promise.all(instances.map(({ done }) => done))
      return {
        samples,
        socketErrors,
        timeouts: results.reduce((sum, result) => sum + result.timeouts, 0),
      }
    },
  }
}
