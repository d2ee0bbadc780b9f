import { packageBuild } from '../../config/tsup.ts'

// ESM only: vitest refuses to be loaded with require(), so a CommonJS build could never run.
export default packageBuild({ format: ['esm'] })
