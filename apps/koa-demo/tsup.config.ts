import { packageBuild } from '../../config/tsup.ts'

// An app, not a library: one ESM entry for Node, dependencies left to node_modules.
export default packageBuild({
  entry: ['src/main.ts'],
  format: ['esm'],
  dts: false,
  platform: 'node',
})
