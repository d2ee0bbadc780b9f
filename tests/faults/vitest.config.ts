import { packageTests } from '../../config/vitest.ts'

// One fault at a time: each measures error windows and recovery, which a second load on the
// same two cores would distort.
export default packageTests({ testTimeout: 90_000, hookTimeout: 60_000, fileParallelism: false })
