import { packageBuild } from '../../config/tsup.ts'

// Node only (it is a file store): keep the `node:` specifiers tsup would otherwise strip.
export default packageBuild({ platform: 'node', removeNodeProtocol: false })
