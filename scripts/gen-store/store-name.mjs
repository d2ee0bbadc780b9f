import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** kebab-case: lowercase words of letters and digits, each starting with a letter but the first character. */
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/
/** npm allows 214 characters; `@tessera/` and a readable class name want far fewer. */
const MAX_LENGTH = 40
/** The workspace folders that hold packages (pnpm-workspace.yaml). */
const WORKSPACE_GROUPS = ['packages', 'tests', 'apps']

/** A name `pnpm gen store` refuses, with the reason and what to type instead. */
export class StoreNameError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message)
    this.name = 'StoreNameError'
  }
}

/**
 * The names one store is known by, all derived from its kebab-case package name.
 * @typedef {object} StoreNames
 * @property {string} name package folder and npm name suffix: `dynamo-db`
 * @property {string} pascal the stem of every type name: `DynamoDb` (`DynamoDbStore`, `DynamoDbStoreOptions`)
 * @property {string} packageName `@tessera/dynamo-db`
 */

/**
 * Checks `name` and derives the other names from it: `dynamo-db` gives `@tessera/dynamo-db`
 * and `DynamoDbStore`.
 * @param {string | undefined} name
 * @param {string} root the workspace root, to refuse a name that is taken
 * @returns {StoreNames}
 */
export function storeNames(name, root) {
  if (!name) {
    throw new StoreNameError(
      'Name the store: `pnpm gen store <name>`, e.g. `pnpm gen store dynamo-db`.',
    )
  }
  if (!KEBAB_CASE.test(name)) {
    throw new StoreNameError(
      `"${name}" is not kebab-case. Use lowercase letters, digits and single hyphens, starting with a letter: e.g. \`${suggestKebab(name)}\`.`,
    )
  }
  if (name.length > MAX_LENGTH) {
    throw new StoreNameError(
      `"${name}" is longer than ${MAX_LENGTH} characters; pick a shorter name.`,
    )
  }
  if (name === 'store' || name.endsWith('-store')) {
    const stem = name.replace(/-?store$/, '') || 'my-backend'
    throw new StoreNameError(
      `Name the backend, not the store: \`pnpm gen store ${stem}\` gives @tessera/${stem} and ${pascalCase(stem)}Store.`,
    )
  }
  const packageName = `@tessera/${name}`
  if (existsSync(join(root, 'packages', name))) {
    throw new StoreNameError(
      `packages/${name} already exists. Pick another name, or delete the folder if it is a leftover.`,
    )
  }
  const owner = workspacePackageNamed(packageName, root)
  if (owner)
    throw new StoreNameError(`${packageName} already exists (${owner}). Pick another name.`)
  return { name, pascal: pascalCase(name), packageName }
}

/**
 * `dynamo-db` → `DynamoDb`, `s3` → `S3`, `redis-7` → `Redis7`.
 * @param {string} kebab
 */
export function pascalCase(kebab) {
  return kebab
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
}

/**
 * The folder of the workspace package called `packageName`, if one is.
 * @param {string} packageName
 * @param {string} root
 */
function workspacePackageNamed(packageName, root) {
  for (const group of WORKSPACE_GROUPS) {
    const dir = join(root, group)
    if (!existsSync(dir)) continue
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const manifest = join(dir, entry.name, 'package.json')
      if (!existsSync(manifest)) continue
      if (JSON.parse(readFileSync(manifest, 'utf8')).name === packageName) {
        return `${group}/${entry.name}`
      }
    }
  }
  return undefined
}

/**
 * A kebab-case spelling of what the user typed, for the error message.
 * @param {string} name
 */
function suggestKebab(name) {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  const kebab = words.join('-').replace(/^[0-9-]+/, '')
  return kebab || 'my-backend'
}
