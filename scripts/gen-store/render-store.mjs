import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The templates are the files of a store package, as they are, with two placeholders:
 * `{{name}}` (kebab-case, `dynamo-db`) and `{{Name}}` (PascalCase, `DynamoDb`), in contents
 * and in file names. `.tpl` keeps Biome, tsc and pnpm away from them.
 */
const templateDir = join(dirname(fileURLToPath(import.meta.url)), 'template')

/**
 * A file the generator writes.
 * @typedef {object} RenderedFile
 * @property {string} path relative to the workspace root, with `/` separators
 * @property {string} text
 */

/**
 * Every file of a new store package, plus its changeset.
 * @param {import('./store-name.mjs').StoreNames} names
 * @returns {RenderedFile[]}
 */
export function renderStore(names) {
  const fill = (/** @type {string} */ text) =>
    text.replaceAll('{{name}}', names.name).replaceAll('{{Name}}', names.pascal)
  const packageDir = join(templateDir, 'package')
  const files = templateFiles(packageDir)
    .map((file) => ({
      path: `packages/${names.name}/${fill(toPosix(relative(packageDir, file))).replace(/\.tpl$/, '')}`,
      text: fill(readFileSync(file, 'utf8')),
    }))
    .sort((a, b) => a.path.localeCompare(b.path))
  files.push({
    path: `.changeset/${names.name}-store.md`,
    text: fill(readFileSync(join(templateDir, 'changeset.md.tpl'), 'utf8')),
  })
  return files
}

/** @param {string} dir */
function templateFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.tpl'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** @param {string} path */
function toPosix(path) {
  return path.split(sep).join('/')
}
