#!/usr/bin/env node
// `npm start`: runs a demo on a machine with only Node 20+ and npm. Like `npm test`, it finds
// pnpm 10 (or runs it through npx), installs the workspace from the lockfile and builds what
// the demo needs (turbo, cached); then it starts the demo and waits for it.
//
//   npm start                  the Express demo (http://localhost:3000)
//   npm start -- koa           the Koa demo   (also: npm run start:koa)
//   npm start -- hono          the Hono demo  (also: npm run start:hono)
//
// PORT, DATABASE_PATH, SESSION_STORE, … pass through to the demo (see apps/express-demo).
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..')
const PNPM_MAJOR = '10'
const DEMOS = ['express', 'koa', 'hono']

const demo = (process.argv[2] ?? 'express').toLowerCase()
if (!DEMOS.includes(demo)) {
  console.error(
    `Unknown demo "${process.argv[2]}". Use one of: ${DEMOS.join(', ')} (npm start -- koa).`,
  )
  process.exit(2)
}
const app = `@tessera/${demo}-demo`

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  if (probe.status === 0 && probe.stdout.trim().startsWith(`${PNPM_MAJOR}.`)) return ['pnpm', []]
  console.log(`pnpm ${PNPM_MAJOR} not found on PATH; using npx -y pnpm@${PNPM_MAJOR}`)
  return ['npx', ['-y', `pnpm@${PNPM_MAJOR}`]]
}

function run(command, args) {
  console.log(`\n$ ${[command, ...args].join(' ')}`)
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.error) throw result.error
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} exited with ${result.status}`)
    process.exit(result.status ?? 1)
  }
}

process.env.TURBO_TELEMETRY_DISABLED = '1'
process.env.DO_NOT_TRACK = '1'

const [pnpm, pnpmArgs] = pnpmCommand()
run(pnpm, [...pnpmArgs, 'install', '--frozen-lockfile'])
// The demo and the packages it depends on, nothing else.
run(pnpm, [
  ...pnpmArgs,
  'exec',
  'turbo',
  'run',
  'build',
  `--filter=${app}...`,
  '--output-logs=errors-only',
])

// Node itself, not `pnpm start`: Ctrl-C reaches the demo directly and it shuts down cleanly.
const appDir = join(root, 'apps', `${demo}-demo`)
console.log(`\n$ node apps/${demo}-demo/dist/main.js\n`)
const child = spawn(process.execPath, [join(appDir, 'dist', 'main.js')], {
  cwd: appDir,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1))
})
