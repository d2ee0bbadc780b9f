import { mkdirSync, writeFileSync } from 'node:fs'
import type { Reporter, TestCase, TestModule } from 'vitest/node'

interface Tally {
  passed: string[]
  failed: string[]
  skipped: string[]
}

const CHECK_ID = /^check (\d\d[a-z]?) · /
const COMBINATION = /^(.+) × (.+)$/

/**
 * After the run, prints the security checks per adapter × store (passed / failed / not
 * applicable), the ids of failed checks, and writes the same table to
 * `test-results/check-matrix.md`. A test counts when its title starts with `check NN ·` and
 * its suite is named `<adapter> × <store>`.
 */
export default class CheckMatrixReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tallies = new Map<string, Tally>()
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const id = CHECK_ID.exec(test.name)?.[1]
        const combination = combinationOf(test)
        if (id === undefined || combination === null) continue
        let tally = tallies.get(combination)
        if (!tally) {
          tally = { passed: [], failed: [], skipped: [] }
          tallies.set(combination, tally)
        }
        const state = test.result().state
        if (state === 'passed') tally.passed.push(id)
        else if (state === 'failed') tally.failed.push(id)
        else tally.skipped.push(id)
      }
    }
    if (tallies.size === 0) return
    const rows = [...tallies].sort(([a], [b]) => a.localeCompare(b))
    const lines = [
      '| adapter × store | passed | failed | not applicable | failed checks |',
      '| --- | ---: | ---: | ---: | --- |',
      ...rows.map(([combination, t]) => {
        const failed = [...new Set(t.failed)].sort().join(', ')
        return `| ${combination} | ${t.passed.length} | ${t.failed.length} | ${t.skipped.length} | ${failed || '—'} |`
      }),
    ]
    const total = rows.reduce(
      (sum, [, t]) => ({
        passed: sum.passed + t.passed.length,
        failed: sum.failed + t.failed.length,
        skipped: sum.skipped + t.skipped.length,
      }),
      { passed: 0, failed: 0, skipped: 0 },
    )
    const summary = `security checks: ${total.passed} passed, ${total.failed} failed, ${total.skipped} not applicable, over ${rows.length} adapter × store combinations`
    process.stdout.write(`\n${lines.join('\n')}\n${summary}\n`)
    mkdirSync('test-results', { recursive: true })
    writeFileSync('test-results/check-matrix.md', `${lines.join('\n')}\n\n${summary}\n`)
  }
}

/** `express 5 × RedisStore`: the name of the nearest enclosing suite of that shape. */
function combinationOf(test: TestCase): string | null {
  let parent: TestCase['parent'] | undefined = test.parent
  while (parent && parent.type === 'suite') {
    if (COMBINATION.test(parent.name)) return parent.name
    parent = parent.parent
  }
  return null
}
