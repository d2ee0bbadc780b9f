#!/usr/bin/env node
// The one test command (`npm test`): works on a machine with only Node 20+ and npm.
// It finds pnpm 10 (or runs it through npx), installs the workspace from the lockfile,
// then lints, builds, type-checks, checks the packages' publishable shape and runs every
// package's tests through turbo.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM_MAJOR = '10'

function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} exited with ${result.status}`)
    process.exit(result.status ?? 1)
  }
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout.trim().startsWith(`${PNPM_MAJOR}.`)) return ['pnpm', []]
  console.log(`pnpm ${PNPM_MAJOR} not found on PATH; using npx -y pnpm@${PNPM_MAJOR}`)
  return ['npx', ['-y', `pnpm@${PNPM_MAJOR}`]]
}

const [pnpm, pnpmArgs] = pnpmCommand()
const p = (...args) => run(pnpm, [...pnpmArgs, ...args])

process.env.TURBO_TELEMETRY_DISABLED = '1'
process.env.DO_NOT_TRACK = '1'

p('install', '--frozen-lockfile')
p('exec', 'biome', 'check', '.')
// Two at a time: the machine has two cores, and several suites start their own servers.
p(
  'exec',
  'turbo',
  'run',
  'build',
  'typecheck',
  'check:package',
  '--concurrency=2',
  '--output-logs=errors-only',
)
for (const report of testReports()) rmSync(report, { force: true })
const tests = spawnSync(
  pnpm,
  [
    ...pnpmArgs,
    'exec',
    'turbo',
    'run',
    'test',
    '--concurrency=2',
    '--continue',
    '--output-logs=full',
  ],
  {
    cwd: root,
    stdio: 'inherit',
  },
)
printTotals()
process.exit(tests.status ?? 1)

/** Every vitest JSON report in the workspace (packages, tests, apps, bench). */
function testReports() {
  const reports = []
  for (const group of ['packages', 'tests', 'apps', 'bench']) {
    const dir = join(root, group)
    if (!existsSync(dir)) continue
    const candidates = group === 'bench' ? [dir] : readdirSync(dir).map((name) => join(dir, name))
    for (const candidate of candidates) {
      const report = join(candidate, 'test-results/vitest.json')
      if (existsSync(report)) reports.push(report)
    }
  }
  return reports
}

/** One closing line over all suites: `tests: N passed, N failed, N skipped`. */
function printTotals() {
  let passed = 0
  let failed = 0
  let skipped = 0
  for (const report of testReports()) {
    const result = JSON.parse(readFileSync(report, 'utf8'))
    passed += result.numPassedTests ?? 0
    failed +=
      (result.numFailedTests ?? 0) + (result.success === false && !result.numFailedTests ? 1 : 0)
    skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0)
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
}
