import { CookieJar, send } from '@tessera/adapter-suite'
import { MemoryStore } from '@tessera/core'
import type { Express, Request } from 'express'
import expressSession from 'express-session'
import express4 from 'express4'
import passportModule from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import {
  type ExpressSessionOptions,
  type ExpressSessionStore,
  type ImportExpressSessionsEvent,
  type ImportExpressSessionsOptions,
  importExpressSessions,
  type LegacySessionStoreError,
  session,
} from '../src/index.js'
import { type ExpressFactory, errorHandler, listen, wrap } from './express-harness.js'

// The two apps of a migration: the app as it ran on express-session (passport-local login),
// and the same app on Tessera with the importer. One cookie jar talks to both, as a browser
// would across the deploy.

/** A typical express-session secret: short, as express-session allowed. */
export const LEGACY_SECRET = 'keyboard cat'
export const TESSERA_SECRET = 'import-express-sessions-tessera-secret-0123456789'
export const LEGACY_COOKIE = 'connect.sid'
export const TESSERA_COOKIE = 'tessera.sid'
const USERS = [{ id: '1', username: 'ada', password: 'lovelace' }]

function passportFor(): passportModule.PassportStatic {
  const passport = new passportModule.Passport() as passportModule.PassportStatic
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = USERS.find((u) => u.username === username && u.password === password)
      done(null, user ?? false)
    }),
  )
  passport.serializeUser((user, done) => done(null, (user as { id: string }).id))
  passport.deserializeUser((id: string, done) =>
    done(null, USERS.find((u) => u.id === id) ?? false),
  )
  return passport
}

const username = (req: Request): string | null =>
  (req.user as { username?: string } | undefined)?.username ?? null

/**
 * The app before the switch: express-session with `store`, passport-local, some data. It runs
 * on its own copy of Express (`express4`): Tessera guards `req.session` on the Express it
 * resolves, and express-session's first step, `if (req.session)`, would meet that guard.
 */
export function legacyApp(
  store: expressSession.Store,
  secret: string | string[] = LEGACY_SECRET,
): Express {
  const passport = passportFor()
  const app = express4()
  app.use(express4.urlencoded({ extended: false }))
  app.use(
    expressSession({
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: 2 * 3_600_000 },
    }),
  )
  app.use(passport.session())
  app.post('/login', passport.authenticate('local'), (req, res) => {
    res.json({ user: username(req) })
  })
  app.post('/visit', (req, res) => {
    const data = req.session as unknown as Record<string, unknown>
    data.visits = ((data.visits as number | undefined) ?? 0) + 1
    // connect-flash's shape: pending messages by type.
    data.flash = { info: ['Welcome back.'] }
    // express-session's Cookie: `maxAge = null` makes a browser-session cookie.
    const cookie = req.session.cookie as { maxAge: number | null }
    if (req.query.maxAge === 'browser') cookie.maxAge = null
    else if (req.query.maxAge !== undefined) cookie.maxAge = Number(req.query.maxAge)
    res.json({ visits: data.visits })
  })
  app.get('/me', (req, res) => {
    res.json({ user: username(req) })
  })
  return app
}

/** What the Tessera app saw: importer events and errors, engine-level errors. */
export interface TesseraApp {
  app: Express
  events: ImportExpressSessionsEvent[]
  storeErrors: LegacySessionStoreError[]
  /** How often the importer asked the legacy store for a record. */
  legacyReads: () => number
}

/** The same app after the switch: session(), the importer, passport unchanged. */
export function tesseraApp(
  factory: ExpressFactory,
  legacyStore: ExpressSessionStore,
  importOptions: Partial<ImportExpressSessionsOptions> = {},
  sessionOptions: Partial<ExpressSessionOptions> = {},
): TesseraApp {
  const events: ImportExpressSessionsEvent[] = []
  const storeErrors: LegacySessionStoreError[] = []
  let reads = 0
  const counted: ExpressSessionStore = {
    get: (sid, callback) => {
      reads++
      return legacyStore.get(sid, callback)
    },
    destroy: (sid, callback) => legacyStore.destroy(sid, callback),
  }
  const passport = passportFor()
  const app = factory()
  app.use(session({ secret: TESSERA_SECRET, store: new MemoryStore(), ...sessionOptions }))
  app.use(
    importExpressSessions({
      secret: LEGACY_SECRET,
      store: counted,
      onEvent: (event) => events.push(event),
      onError: (error) => storeErrors.push(error),
      ...importOptions,
    }),
  )
  app.use(passport.session())
  app.get('/me', (req, res) => {
    res.json({
      user: username(req),
      visits: req.session.get('visits') ?? null,
      lifetime: req.session.lifetime,
      isNew: req.session.isNew,
    })
  })
  app.get('/flash', (req, res) => {
    res.json({ info: req.session.takeFlash('info') })
  })
  app.get('/boom', (_req, res) => {
    res.status(500).json({ error: 'boom' })
  })
  app.post(
    '/logout',
    wrap(async (req, res) => {
      await new Promise<void>((resolve, reject) =>
        req.logout((error) => (error ? reject(error) : resolve())),
      )
      res.json({ user: username(req) })
    }),
  )
  app.use(errorHandler())
  return { app, events, storeErrors, legacyReads: () => reads }
}

/** Signs `jar` in on the legacy app and makes one more visit (data beside passport's). */
export async function signInOnLegacy(
  legacyUrl: string,
  jar: CookieJar,
  visitQuery = '',
): Promise<void> {
  const login = await send(legacyUrl, '/login', {
    method: 'POST',
    jar,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'username=ada&password=lovelace',
    signal: AbortSignal.timeout(5_000),
  })
  if (login.status !== 200) throw new Error(`legacy login answered ${login.status}`)
  const visit = await send(legacyUrl, `/visit${visitQuery}`, { method: 'POST', jar })
  if (visit.status !== 200) throw new Error(`legacy visit answered ${visit.status}`)
  if (!jar.get(LEGACY_COOKIE)) throw new Error('the legacy app set no cookie')
}

/** The session id inside the jar's express-session cookie (`s:<sid>.<signature>`, URL-encoded). */
export function legacySid(jar: CookieJar): string {
  const value = decodeURIComponent(jar.get(LEGACY_COOKIE) ?? '')
  return value.slice(2, value.lastIndexOf('.'))
}

/** The record under `sid` in an express-session store (null when gone). */
export function legacyRecord(store: ExpressSessionStore, sid: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    store.get(sid, (error, record) => (error ? reject(error) : resolve(record ?? null))),
  )
}

/** Resolves once `events` holds `count` events of `type`; fails after `timeoutMs`. */
export async function eventually(
  events: ImportExpressSessionsEvent[],
  type: ImportExpressSessionsEvent['type'],
  count = 1,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (events.filter((event) => event.type === type).length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `no ${count} '${type}' events within ${timeoutMs} ms: ${JSON.stringify(events)}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The `Set-Cookie` lines of `response` for cookie `name`. */
export function setCookies(response: Response, name: string): string[] {
  return response.headers.getSetCookie().filter((line) => line.startsWith(`${name}=`))
}

export { CookieJar, listen, send }
