// The API reference: TypeDoc over every public entry point, written as Markdown pages (one per
// entry point) into api/ with typedoc-plugin-markdown, plus the sidebar VitePress reads.
import { rmSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Application, Converter, ReflectionKind } from 'typedoc'
import { docsDir, publicPackages, root } from './workspace.mjs'

export const apiDir = join(docsDir, 'api')

/**
 * TypeDoc names a module after its path (`core/src/adapter`); the reference names each after
 * the specifier a user imports (`@tessera/core/adapter`).
 */
function moduleNames(packages) {
  const names = new Map()
  for (const pkg of packages) {
    for (const entry of pkg.entries) {
      const path = relative(join(root, 'packages'), entry.file).replace(/\\/g, '/')
      names.set(path.replace(/\.ts$/, '').replace(/\/index$/, ''), entry.specifier)
    }
  }
  return names
}

/** Generates api/**.md and api/typedoc-sidebar.json; throws when TypeDoc reports an error. */
export async function generateApiReference() {
  const packages = publicPackages()
  const entryPoints = packages.flatMap((pkg) => pkg.entries.map((entry) => entry.file))
  // Every @tessera/* import resolves to the package's source, so a re-export (an adapter
  // re-exporting core's errors) links to the one documented declaration instead of a copy.
  const paths = Object.fromEntries(
    packages.flatMap((pkg) => pkg.entries.map((entry) => [entry.specifier, [entry.file]])),
  )
  rmSync(apiDir, { recursive: true, force: true })
  const app = await Application.bootstrapWithPlugins({
    name: 'API reference',
    entryPoints,
    entryPointStrategy: 'resolve',
    tsconfig: join(docsDir, 'tsconfig.api.json'),
    compilerOptions: { paths },
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out: apiDir,
    docsRoot: docsDir,
    outputFileStrategy: 'modules',
    excludeScopesInPaths: true,
    readme: 'none',
    // Type errors are `pnpm typecheck`'s to report; the reference only needs the declarations.
    skipErrorChecking: true,
    disableSources: true,
    excludePrivate: true,
    excludeInternal: true,
    hideBreadcrumbs: true,
    // Explicit anchors: TypeDoc numbers repeated names its own way (`#sessiondata-1`), which
    // VitePress's heading ids do not follow.
    useHTMLAnchors: true,
    logLevel: 'Warn',
    sidebar: { autoConfiguration: true, collapsed: false, pretty: true },
  })
  const names = moduleNames(packages)
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = names.get(module.name) ?? module.name
    }
  })
  const project = await app.convert()
  if (!project || app.logger.hasErrors()) throw new Error('TypeDoc failed: see the errors above')
  await app.generateOutputs(project)
  if (app.logger.hasErrors()) throw new Error('TypeDoc failed to write the API reference')
  return { packages, warnings: app.logger.warningCount }
}
