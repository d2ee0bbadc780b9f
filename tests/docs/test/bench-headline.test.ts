import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { root } from '../src/workspace.js'

interface BenchRow {
  frameworkLabel: string
  lib: string
  store: string
  scenario: string
  ratioToBare: number
  addedUsOverBare: number
}

const resultsFile = join(root, 'bench/results.json')

// The root README quotes the last `pnpm bench` run; a new run must update the quote with it.
describe('the README benchmark headline', () => {
  it.runIf(existsSync(resultsFile))('is the one in bench/results.json', () => {
    const { rows } = JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows: BenchRow[] }
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const table = readme.slice(readme.indexOf('<!-- bench-headline:')).split('\n\n')[0] as string
    const quoted = table
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('| ') && !line.startsWith('| framework') && !line.startsWith('| ---'),
      )
    const expected = ['Express 5', 'Koa 3', 'Hono 4 (@hono/node-server)'].map((label) => {
      const row = (scenario: string) => {
        const found = rows.find(
          (r) =>
            r.frameworkLabel === label &&
            r.lib === 'tessera' &&
            r.store === 'memory' &&
            r.scenario === scenario,
        )
        if (!found)
          throw new Error(
            `bench/results.json has no Tessera MemoryStore ${scenario} row for ${label}`,
          )
        return found
      }
      const [read, hit] = [row('read'), row('hit')]
      const us = (n: number) => `+${Math.round(n)}`
      return `| ${label} | ${read.ratioToBare.toFixed(2)} · ${hit.ratioToBare.toFixed(2)} | ${us(read.addedUsOverBare)} · ${us(hit.addedUsOverBare)} |`
    })
    expect(quoted).toEqual(expected)
  })
})
