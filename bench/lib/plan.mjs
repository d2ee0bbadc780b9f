// What is measured: frameworks, the libraries on each, the scenarios, and the time it takes.

const TESSERA_STORES = [
  ['memory', 'Tessera MemoryStore'],
  ['redis', 'Tessera RedisStore'],
  ['sqlite', 'Tessera KyselyStore SQLite'],
  ['postgres', 'Tessera KyselyStore PostgreSQL'],
  ['cookie', 'Tessera CookieStore'],
]

function tessera() {
  return TESSERA_STORES.map(([store, label]) => ({
    id: `tessera/${store}`,
    label,
    lib: 'tessera',
    store,
  }))
}

const BARE = { id: 'bare', label: 'bare', lib: 'bare', store: 'none' }

/**
 * `incumbentFor` maps a Tessera store to the incumbent it is compared with: the incumbent
 * keeping sessions the same way (in process, Redis, cookie). koa-session has no in-process
 * store, so Tessera MemoryStore on Koa is compared with koa-session's default, the cookie.
 * No incumbent here keeps sessions in SQL; those rows have no incumbent ratio.
 */
export const FRAMEWORKS = [
  {
    id: 'express',
    label: 'Express 5',
    server: 'express.mjs',
    libraries: [
      BARE,
      {
        id: 'express-session/memory',
        label: 'express-session MemoryStore',
        lib: 'express-session',
        store: 'memory',
      },
      {
        id: 'express-session/redis',
        label: 'express-session + connect-redis',
        lib: 'express-session',
        store: 'redis',
      },
      ...tessera(),
    ],
    incumbentFor: { memory: 'express-session/memory', redis: 'express-session/redis' },
  },
  {
    id: 'koa',
    label: 'Koa 3',
    server: 'koa.mjs',
    libraries: [
      BARE,
      {
        id: 'koa-session/cookie',
        label: 'koa-session cookie',
        lib: 'koa-session',
        store: 'cookie',
      },
      {
        id: 'koa-session/redis',
        label: 'koa-session + ioredis store',
        lib: 'koa-session',
        store: 'redis',
      },
      ...tessera(),
    ],
    incumbentFor: {
      memory: 'koa-session/cookie',
      cookie: 'koa-session/cookie',
      redis: 'koa-session/redis',
    },
  },
  {
    id: 'hono',
    label: 'Hono 4 (@hono/node-server)',
    server: 'hono.mjs',
    libraries: [
      BARE,
      {
        id: 'hono-sessions/cookie',
        label: 'hono-sessions CookieStore',
        lib: 'hono-sessions',
        store: 'cookie',
      },
      {
        id: 'hono-sessions/memory',
        label: 'hono-sessions MemoryStore',
        lib: 'hono-sessions',
        store: 'memory',
      },
      ...tessera(),
    ],
    incumbentFor: { memory: 'hono-sessions/memory', cookie: 'hono-sessions/cookie' },
  },
]

/**
 * `cookies`: `per-connection` (one session per connection, minted by the setup step),
 * `shared` (every connection starts with the same session: the contended run), `none`.
 * The contended run leaves out libraries that keep the session in the cookie: they have no
 * shared record to contend on (each connection's cookie diverges after its first write).
 */
export const SCENARIOS = [
  { id: 'read', label: '/read', path: '/read', cookies: 'per-connection' },
  { id: 'hit', label: '/hit', path: '/hit', cookies: 'per-connection' },
  { id: 'noop-cookie', label: '/noop + cookie', path: '/noop', cookies: 'per-connection' },
  { id: 'noop', label: '/noop, no cookie', path: '/noop', cookies: 'none' },
  { id: 'hit-contended', label: '/hit, 1 session', path: '/hit', cookies: 'shared' },
]

const SETTINGS = {
  // Three passes, so a median is a middle value, not the mean of two (one slow window on this
  // shared machine moved a mean by a third); shorter windows keep the run near 10 minutes.
  full: { windowSeconds: 1.2, warmupSeconds: 0.3, serverWarmupSeconds: 1, repetitions: 3 },
  quick: { windowSeconds: 0.8, warmupSeconds: 0.25, serverWarmupSeconds: 0.5, repetitions: 2 },
}

const QUICK_LIBRARIES = new Set([
  'bare',
  'express-session/memory',
  'koa-session/cookie',
  'hono-sessions/memory',
  'tessera/memory',
  'tessera/redis',
])
const QUICK_SCENARIOS = new Set(['read', 'hit', 'noop'])

/** Seconds per measured window beyond warm-up and measurement (minting, CPU and Redis reads); fitted to full runs here. */
const WINDOW_OVERHEAD_SECONDS = 0.1
/** Starting a framework's servers, lost-update checks, stopping. */
const FRAMEWORK_OVERHEAD_SECONDS = 12

/**
 * The run: settings, and for each framework the libraries and scenarios to measure.
 * `unavailable` holds stores that cannot run here (`redis`, `postgres`); their libraries are
 * left out. `only` limits the frameworks (ids); `overrides` replaces settings (development).
 */
export function makePlan({ quick, unavailable = new Set(), only, overrides = {} }) {
  const settings = {
    connections: 50,
    lostUpdateRequests: 100,
    ...SETTINGS[quick ? 'quick' : 'full'],
    ...overrides,
  }
  const frameworks = FRAMEWORKS.filter((f) => only === undefined || only.includes(f.id)).map(
    (framework) => ({
      ...framework,
      libraries: framework.libraries.filter(
        (l) => !unavailable.has(l.store) && (!quick || QUICK_LIBRARIES.has(l.id)),
      ),
      scenarios: SCENARIOS.filter((s) => !quick || QUICK_SCENARIOS.has(s.id)),
    }),
  )
  const custom = Object.keys(overrides).length > 0 || only !== undefined
  return { mode: quick ? 'quick' : 'full', custom, settings, frameworks }
}

/** Whether `library` takes part in `scenario`. */
export function measures(library, scenario) {
  return !(scenario.cookies === 'shared' && library.store === 'cookie')
}

/** Number of measured windows and the expected duration in seconds (builds excluded). */
export function estimate(plan) {
  const { settings } = plan
  const perWindow = settings.windowSeconds + settings.warmupSeconds + WINDOW_OVERHEAD_SECONDS
  let windows = 0
  let seconds = settings.windowSeconds + settings.warmupSeconds + 1 // load-generator ceiling
  for (const framework of plan.frameworks) {
    for (const scenario of framework.scenarios) {
      windows +=
        settings.repetitions * framework.libraries.filter((l) => measures(l, scenario)).length
    }
    seconds += FRAMEWORK_OVERHEAD_SECONDS
    seconds += framework.libraries.length * (settings.serverWarmupSeconds + 0.2)
  }
  return { windows, seconds: seconds + windows * perWindow }
}
