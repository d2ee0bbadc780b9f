import { packageTests } from '../../config/vitest.ts'

export default packageTests({
  testTimeout: 60_000,
  // The matrix reporter prints the checks passed per adapter × store after the run.
  reporters: [
    'default',
    ['json', { outputFile: 'test-results/vitest.json' }],
    './src/check-matrix-reporter.ts',
  ],
})
