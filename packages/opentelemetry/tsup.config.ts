import { packageBuild } from '../../config/tsup.ts'

export default packageBuild()
