#!/usr/bin/env node
// `pnpm gen store <name> [--dry-run]`: scaffolds packages/<name>, a store package with the
// standard file set whose methods throw "not implemented", and its changeset.
// A plain script rather than `turbo gen`: that would pull in plop and a template engine for
// what is a dozen files with two placeholders, and this runs offline with Node alone.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderStore } from './gen-store/render-store.mjs'
import { StoreNameError, storeNames } from './gen-store/store-name.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const USAGE = 'usage: pnpm gen store <name> [--dry-run]   (e.g. pnpm gen store dynamo-db)'
const biome = join(root, 'node_modules/@biomejs/biome/bin/biome')

const args = process.argv.slice(2)
const flags = args.filter((arg) => arg.startsWith('-'))
const [kind, name, ...extra] = args.filter((arg) => !arg.startsWith('-'))
const dryRun = flags.includes('--dry-run')

if (flags.includes('--help') || flags.includes('-h')) {
  console.log(USAGE)
  process.exit(0)
}
const unknownFlag = flags.find((flag) => flag !== '--dry-run')
if (unknownFlag) fail(`Unknown option ${unknownFlag}.`)
if (kind !== 'store') {
  fail(
    kind
      ? `There is no "${kind}" generator; the one generator is \`store\`.`
      : 'Say what to generate.',
  )
}
if (extra.length > 0) fail(`Unexpected argument "${extra[0]}".`)

let names
try {
  names = storeNames(name, root)
} catch (error) {
  if (error instanceof StoreNameError) fail(error.message)
  throw error
}

const files = renderStore(names)
const taken = files.find((file) => existsSync(join(root, file.path)))
if (taken) fail(`${taken.path} already exists; nothing was written.`)

const summary = `${names.packageName} (${names.pascal}Store) in packages/${names.name}`
if (dryRun) {
  console.log(`Would create ${summary}:`)
  for (const file of files) console.log(`  ${file.path}`)
  process.exit(0)
}

for (const file of files) {
  const path = join(root, file.path)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, file.text)
}
formatPackage(`packages/${names.name}`)

console.log(`Created ${summary}, and .changeset/${names.name}-store.md.

Next:
  1. pnpm install                                   link the new package into the workspace
  2. pnpm --filter ${names.packageName} test    the conformance suite: each case fails with "not implemented"
  3. write packages/${names.name}/src/${names.name}-store.ts until it passes (CONTRIBUTING.md, "Write a store")
  4. add the client library to peerDependencies and devDependencies in packages/${names.name}/package.json
  5. say what the store does in its package.json description, README.md and the changeset`)

/**
 * Long store names push lines past Biome's width; format the new package like the rest of
 * the tree. Skipped, with a hint, when Biome is not installed yet.
 * @param {string} dir
 */
function formatPackage(dir) {
  if (!existsSync(biome)) {
    console.warn(
      `Biome is not installed: run \`pnpm install\`, then \`pnpm exec biome format --write ${dir}\`.`,
    )
    return
  }
  const result = spawnSync(process.execPath, [biome, 'format', '--write', dir], {
    cwd: root,
    encoding: 'utf8',
  })
  if (result.status !== 0) {
    console.warn(`\`biome format --write ${dir}\` failed:\n${result.stdout}${result.stderr}`)
  }
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`${message}\n${USAGE}`)
  process.exit(1)
}
