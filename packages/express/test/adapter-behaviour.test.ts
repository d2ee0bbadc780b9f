import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import { EXPRESS_VERSIONS, expressHarness } from './express-harness.js'

for (const [name, factory] of EXPRESS_VERSIONS) {
  describeAdapterBehaviour(expressHarness(name, factory))
}
