import { packageBuild } from '../../config/tsup.ts'

// Private to the demos, which run on Node: ESM with types is all they import.
export default packageBuild({ format: ['esm'], platform: 'node' })
