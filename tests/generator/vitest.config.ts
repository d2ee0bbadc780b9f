import { packageTests } from '../../config/vitest.ts'

// Each step shells out (pnpm install, tsup, tsc, a nested vitest run) in one temporary
// workspace, and every command is bounded (test/run-command.ts). The whole file takes about
// 40 s on two idle cores; the bounds leave room for a machine busy with other suites.
export default packageTests({ testTimeout: 240_000 })
