import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseDemoConfig } from '../src/index.js'

const APPS = join(import.meta.dirname, '..', '..')
const ROOT = join(APPS, '..')
const READMES = ['express-demo', 'koa-demo', 'hono-demo', 'demo-kit'].map((app) => join(APPS, app))

function scripts(dir: string): Record<string, string> {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts ?? {}
}

/** Every command line in the README's `sh` blocks and every `inline command` starting with npm/pnpm. */
function commands(readme: string): string[] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.trim().split('\n'),
  )
  const inline = [...readme.matchAll(/`((?:npm|pnpm) [^`]+)`/g)].map((m) => m[1]!)
  return [...blocks, ...inline]
}

describe('the demo READMEs', () => {
  for (const dir of READMES) {
    it(`${dir.slice(APPS.length + 1)}: every command and variable in it is one that works`, () => {
      const readme = readFileSync(join(dir, 'README.md'), 'utf8')
      const lines = commands(readme)
      if (!dir.endsWith('demo-kit')) expect(lines.length).toBeGreaterThan(5)
      for (const line of lines) {
        // Variables: the demo's own parser must accept each value the README shows.
        const env = Object.fromEntries(
          [...line.matchAll(/\b([A-Z_]+)=('[^']*'|\S+)/g)].map(([, name, value]) => [
            name!,
            value!.replace(/^'|'$/g, ''),
          ]),
        )
        expect(() => parseDemoConfig(env, dir), line).not.toThrow()
        const command = line.replace(/\b[A-Z_]+=('[^']*'|\S+)\s+/g, '')
        // npm start [-- demo] / npm run <script>: root scripts; pnpm --filter <pkg> <script>.
        const npm = /^npm (start|test|run ([\w:-]+))(?: -- (\w+))?$/.exec(command)
        const pnpm = /^pnpm --filter (@tessera\/[\w-]+) (\w+)$/.exec(command)
        if (npm) {
          expect(scripts(ROOT), line).toHaveProperty(npm[2] ?? npm[1]!)
          if (npm[3]) expect(['express', 'koa', 'hono'], line).toContain(npm[3])
        } else if (pnpm) {
          const pkg = pnpm[1]!.replace('@tessera/', '')
          const pkgDir = pkg === 'browser-tests' ? join(ROOT, 'tests', 'browser') : join(APPS, pkg)
          expect(scripts(pkgDir), line).toHaveProperty(pnpm[2]!)
        } else {
          throw new Error(`README command not checked: ${line}`)
        }
      }
    })
  }
})
