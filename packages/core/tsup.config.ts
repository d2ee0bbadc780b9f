import { packageBuild } from '../../config/tsup.ts'

// Two entries share code (errors, the engine): splitting keeps one copy of each class, so
// `instanceof` holds across `@tessera/core` and `@tessera/core/adapter`.
export default packageBuild({
  entry: { index: 'src/index.ts', adapter: 'src/adapter/index.ts' },
  splitting: true,
})
