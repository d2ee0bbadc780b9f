import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/build-demos.ts'],
    // One Chromium for the whole suite, and demo servers that each take a core at start:
    // the files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    // The JSON report feeds the one-line total that scripts/test.mjs prints at the end.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
})
