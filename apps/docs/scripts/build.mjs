#!/usr/bin/env node
// `pnpm docs:build` / `pnpm docs:dev`: generates the API reference (TypeDoc) and the pages
// copied from the repository, then runs VitePress. Static output in .vitepress/dist; nothing
// is fetched from the network.
//
//   node scripts/build.mjs          build the site into .vitepress/dist
//   node scripts/build.mjs --dev    serve it at http://localhost:5173 (copied pages follow
//                                   their sources; restart to refresh the API reference)
import { existsSync, watch } from 'node:fs'
import { build, createServer } from 'vitepress'
import { generateApiReference } from './api-reference.mjs'
import { generateRepoPages, watchedSources } from './repo-pages.mjs'
import { docsDir } from './workspace.mjs'

const dev = process.argv.includes('--dev')
const started = performance.now()
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

const { packages } = await generateApiReference()
const entries = packages.reduce((sum, pkg) => sum + pkg.entries.length, 0)
console.log(
  `docs: API reference of ${entries} entry points (${packages.length} packages), ${seconds()}`,
)
console.log(`docs: copied ${generateRepoPages().join(', ')}`)

if (dev) {
  for (const source of watchedSources().filter((path) => existsSync(path))) {
    watch(source, () => {
      try {
        generateRepoPages()
      } catch (error) {
        console.error(`docs: could not regenerate the copied pages: ${error.message}`)
      }
    })
  }
  const server = await createServer(docsDir, { port: Number(process.env.PORT ?? 5173) })
  await server.listen()
  server.printUrls()
} else {
  await build(docsDir)
  console.log(`docs: site built into .vitepress/dist in ${seconds()}`)
}
