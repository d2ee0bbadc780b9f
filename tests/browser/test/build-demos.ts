import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../src/demo-server.js'

/** The demos, in build order (the kit first). */
const APPS = ['demo-kit', 'express-demo', 'koa-demo', 'hono-demo']
/** The workspace packages the demos run on. */
const PACKAGES = ['core', 'express', 'koa', 'hono', 'kysely', 'redis', 'file', 'mongodb']

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
    }
  }
  return latest
}

/**
 * The suite runs the demos' builds (`node dist/main.js`). Under `npm test` turbo has built
 * everything already. Run on its own (`pnpm --filter @tessera/browser-tests test`) after
 * editing a demo, the stale demo builds are rebuilt first so the suite never tests old code.
 * The packages' builds are left alone (other work may be under way in them); a missing one
 * fails with the command that builds it.
 */
export default function setup(): void {
  const missing = PACKAGES.filter((name) => !existsSync(join(ROOT, 'packages', name, 'dist')))
  if (missing.length > 0) {
    throw new Error(
      `@tessera/${missing.join(', @tessera/')} not built: run \`pnpm exec turbo run build --filter=@tessera/browser-tests^...\` first.`,
    )
  }
  let rebuilt = false
  for (const app of APPS) {
    const dir = join(ROOT, 'apps', app)
    if (!rebuilt && newest(join(dir, 'src')) <= newest(join(dir, 'dist'))) continue
    // A rebuilt kit makes every demo after it stale too.
    rebuilt = true
    console.log(`Building @tessera/${app} (its build is older than its sources)`)
    const result = spawnSync('pnpm', ['run', 'build'], { cwd: dir, stdio: 'inherit' })
    if (result.status !== 0) throw new Error(`Building @tessera/${app} failed; see above.`)
  }
}
