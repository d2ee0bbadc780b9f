import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url))
const adapterEntry = fileURLToPath(new URL('../src/adapter/index.ts', import.meta.url))

async function bundle(entryPoint: string) {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  })
  return { result, code: result.outputFiles[0]?.text ?? '' }
}

/**
 * Core must run on edge runtimes: bundled for a neutral platform it may import no `node:`
 * module (nor a bare built-in such as `crypto`), and use no Node-only global. The one
 * run-time lookup of Node's crypto goes through `globalThis.process?.getBuiltinModule`,
 * which is absent elsewhere and falls back to Web Crypto.
 */
describe.each([
  ['@tessera/core', entry],
  ['@tessera/core/adapter', adapterEntry],
])('%s bundles for a neutral platform', async (_name, entryPoint) => {
  const { result, code } = await bundle(entryPoint)

  it('imports nothing from Node', () => {
    const imported = Object.values(result.metafile.outputs).flatMap((o) =>
      o.imports.map((i) => i.path),
    )
    expect(imported).toEqual([])
    for (const name of builtinModules) {
      expect(code).not.toMatch(new RegExp(`from\\s*["'](node:)?${name}["']`))
      expect(code).not.toMatch(new RegExp(`require\\(["'](node:)?${name}["']\\)`))
    }
  })

  it('uses no Node-only global except through the guarded globalThis lookup', () => {
    const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    for (const global of [
      'Buffer',
      'process',
      'require',
      '__dirname',
      '__filename',
      'setImmediate',
    ]) {
      const bare = new RegExp(`(?<![.\\w$'"])${global}\\b(?!\\s*:)`, 'g')
      const uses = [...withoutComments.matchAll(bare)].map((m) =>
        withoutComments.slice(m.index - 30, m.index + 40),
      )
      const unguarded = uses.filter(
        (context) => !/runtime\.(process|Buffer)|runtime\?\.(process|Buffer)/.test(context),
      )
      expect(unguarded, `${global} used outside the guarded lookup`).toEqual([])
    }
  })
})

describe('@tessera/core on a runtime without Node built-ins', async () => {
  const { code } = await bundle(entry)
  it('runs with Web Crypto when Node built-ins are not offered', async () => {
    const { createSessionEngine } = (await import(
      `data:text/javascript;base64,${Buffer.from(code.replace(/process\?\.getBuiltinModule/g, 'process?.__absent')).toString('base64')}`
    )) as typeof import('@tessera/core')
    const engine = createSessionEngine({ secret: 'x'.repeat(32) })
    expect(engine.options.crypto.name).toBe('web-crypto')
    const rs = engine.start({})
    await rs.load()
    rs.session.set('a', 1)
    const headers = await rs.commit()
    expect(headers.find(([n]) => n === 'set-cookie')?.[1]).toMatch(/^tessera\.sid=/)
  })
})
