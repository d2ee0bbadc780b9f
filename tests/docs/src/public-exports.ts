import { join } from 'node:path'
import ts from 'typescript'
import { type PublicPackage, root } from './workspace.js'

/** One entry point of a public package and the names it exports (values and types). */
export interface EntryExports {
  /** What a user imports: `@tessera/core`, `@tessera/core/adapter`. */
  specifier: string
  /** The package folder (`core`) and the subpath (`adapter`), as the API reference names pages. */
  dir: string
  subpath: string | null
  names: string[]
}

const entryFile = (pkg: PublicPackage, subpath: string | null) =>
  join(pkg.path, subpath === null ? 'src/index.ts' : `src/${subpath}/index.ts`)

/**
 * The exports of every entry point of `packages`, read by the TypeScript compiler from the
 * sources (each `@tessera/*` import resolved to its sibling's source, as in the tests).
 */
export function publicExports(packages: PublicPackage[]): EntryExports[] {
  const entries = packages.flatMap((pkg) =>
    pkg.entries.map((entry) => {
      const subpath = entry === '.' ? null : entry.slice(2)
      return {
        pkg,
        subpath,
        specifier: subpath === null ? pkg.manifest.name : `${pkg.manifest.name}/${subpath}`,
        file: entryFile(pkg, subpath),
      }
    }),
  )
  const program = ts.createProgram(
    entries.map((entry) => entry.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      paths: Object.fromEntries(entries.map((entry) => [entry.specifier, [entry.file]])),
    },
  )
  const checker = program.getTypeChecker()
  return entries.map((entry) => {
    const source = program.getSourceFile(entry.file)
    const symbol = source && checker.getSymbolAtLocation(source)
    if (!symbol) throw new Error(`TypeScript could not read ${entry.file}`)
    const names = checker
      .getExportsOfModule(symbol)
      .map((exported) => exported.getName())
      .filter((name) => name !== 'default')
      .sort()
    return { specifier: entry.specifier, dir: entry.pkg.dir, subpath: entry.subpath, names }
  })
}
