import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { type BuildOptions, build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))
const coreSource = resolve(here, '../../core/src/index.ts')
const coreAdapterSource = resolve(here, '../../core/src/adapter/index.ts')
const honoSource = resolve(here, '../src/index.ts')

/**
 * Node globals an edge runtime lacks. esbuild's `define` replaces only *free* references to
 * these names (never a member such as `globalThis.process`, never a local binding), so a
 * marker in the output is exactly a bare use. Core's guarded run-time lookup,
 * `globalThis.process?.getBuiltinModule?.(…)`, is a member access and stays allowed: it is
 * how core finds `node:crypto` on Node without importing it, and it is undefined on the edge.
 */
const NODE_GLOBALS = [
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'setImmediate',
  'global',
]
const marker = (name: string) => `__tessera_node_global_${name}__`

const common: BuildOptions = {
  bundle: true,
  platform: 'neutral',
  write: false,
  metafile: true,
  mainFields: ['module', 'main'],
  conditions: ['import'],
  alias: { '@tessera/core/adapter': coreAdapterSource, '@tessera/core': coreSource },
  define: Object.fromEntries(NODE_GLOBALS.map((name) => [name, marker(name)])),
  logLevel: 'silent',
}

describe('edge safety', () => {
  it('bundles @tessera/hono and @tessera/core for a neutral platform with no Node module or global', async () => {
    const result = await build({
      ...common,
      entryPoints: [honoSource],
      format: 'esm',
      external: ['hono', 'hono/*'],
    })
    const metafile = result.metafile ?? { inputs: {}, outputs: {} }
    const inputs = Object.keys(metafile.inputs)
    expect(inputs.some((input) => input.includes('core/src/'))).toBe(true)
    const imports = Object.values(metafile.outputs).flatMap((output) =>
      output.imports.map((entry) => entry.path),
    )
    expect(imports.filter((path) => !/^hono(\/|$)/.test(path))).toEqual([])
    const code = result.outputFiles?.[0]?.text ?? ''
    // 'node:crypto' does occur, as the string core passes to process.getBuiltinModule.
    expect(code).not.toMatch(/(?:\bfrom|\bimport)\s*\(?\s*["']node:/)
    expect(code).not.toMatch(/__require\b/)
    for (const name of NODE_GLOBALS) {
      expect(code.includes(marker(name)), `bare reference to Node global \`${name}\``).toBe(false)
    }
    // The guarded lookup is what remains, and it is a member access.
    expect(code).toMatch(/globalThis/)
  })

  it('the test itself catches a bare Node global', async () => {
    const result = await build({
      ...common,
      stdin: {
        contents: 'export const a = globalThis.process?.env; export const b = process.env.X',
        loader: 'ts',
      },
      format: 'esm',
    })
    const code = result.outputFiles?.[0]?.text ?? ''
    expect(code).toContain(marker('process'))
    expect(code).toContain('globalThis.process')
  })

  it('runs session, csrf and CookieStore in a context with only Web globals (Web Crypto path)', async () => {
    const entry = `
      import { Hono } from 'hono'
      import { CookieStore } from '@tessera/core'
      import { csrf, session } from ${JSON.stringify(honoSource)}
      const sealed = new Hono()
      sealed.use(session({ secret: 'a-test-secret-that-is-long-enough-0123456789', store: new CookieStore() }))
      sealed.post('/inc', (c) => c.json({ views: c.var.session.update('views', (n) => (n ?? 0) + 1) }))
      globalThis.sealedApp = sealed
      const app = new Hono()
      app.use(session({ secret: 'a-test-secret-that-is-long-enough-0123456789' }))
      app.use(csrf())
      app.post('/inc', (c) => c.json({ views: c.var.session.update('views', (n) => (n ?? 0) + 1) }))
      app.get('/token', (c) => c.json({ token: c.var.session.csrfToken() }))
      globalThis.edgeApp = app
    `
    const result = await build({
      ...common,
      stdin: { contents: entry, resolveDir: here, loader: 'ts' },
      format: 'iife',
      nodePaths: [resolve(here, '../node_modules')],
    })
    const code = result.outputFiles?.[0]?.text ?? ''
    const web = {
      crypto: globalThis.crypto,
      TextEncoder,
      TextDecoder,
      Response,
      Request,
      Headers,
      URL,
      URLSearchParams,
      FormData,
      Blob,
      File,
      ReadableStream,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      structuredClone,
      atob,
      btoa,
      console,
    }
    const context = createContext({ ...web })
    runInContext('globalThis.globalThis = globalThis', context)
    runInContext(code, context)
    expect(runInContext('typeof process + typeof Buffer + typeof require', context)).toBe(
      'undefinedundefinedundefined',
    )
    const app = (
      context as { edgeApp: { request(path: string, init?: RequestInit): Promise<Response> } }
    ).edgeApp
    let cookie = ''
    const token = async () => {
      const response = await app.request('/token', { headers: cookie ? { cookie } : {} })
      cookie ||= (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      return ((await response.json()) as { token: string }).token
    }
    const csrfToken = await token()
    expect(cookie).toMatch(/^tessera\.sid=/)
    for (let i = 1; i <= 2; i++) {
      const response = await app.request('/inc', {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken },
      })
      expect(await response.json()).toEqual({ views: i })
    }
    const refused = await app.request('/inc', { method: 'POST', headers: { cookie } })
    expect(refused.status).toBe(403)

    // CookieStore: the whole session sealed (AES-GCM through Web Crypto) in the cookie.
    const sealed = (context as { sealedApp: typeof app }).sealedApp
    let sealedCookie = ''
    for (let i = 1; i <= 2; i++) {
      const response = await sealed.request('/inc', {
        method: 'POST',
        headers: sealedCookie ? { cookie: sealedCookie } : {},
      })
      expect(await response.json()).toEqual({ views: i })
      sealedCookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    }
  })
})
