import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One test of a vitest JSON report, as this test reads it. */
export interface ReportedTest {
  fullName: string
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled'
  failureMessages: string[]
}

/** The fields of vitest's JSON reporter output this test relies on. */
export interface VitestReport {
  numTotalTests: number
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
  tests: ReportedTest[]
}

/** Reads the JSON report that `packageTests()` (config/vitest.ts) makes vitest write. */
export function readVitestReport(packageDir: string): VitestReport {
  const raw = JSON.parse(readFileSync(join(packageDir, 'test-results/vitest.json'), 'utf8')) as {
    numTotalTests: number
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
    testResults: Array<{ assertionResults: ReportedTest[] }>
  }
  return {
    numTotalTests: raw.numTotalTests,
    numPassedTests: raw.numPassedTests,
    numFailedTests: raw.numFailedTests,
    numPendingTests: raw.numPendingTests,
    tests: raw.testResults.flatMap((file) => file.assertionResults),
  }
}
