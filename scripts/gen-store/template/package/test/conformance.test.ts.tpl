import { describeStore, type StoreCapabilities } from '@tessera/testkit'
import { {{Name}}Store } from '../src/index.js'

// The conformance suite every store runs, unchanged. A flag set to false says the store
// has no such method (delete the method too); CONTRIBUTING.md, "Write a store", has the rest.
const capabilities: StoreCapabilities = {
  listByUser: true,
  destroyByUser: true,
  prune: true, // false when the backend expires records itself
  lock: true, // leases for exclusive sections (lock and unlock): both or neither
  unlock: true,
}

describeStore('{{Name}}Store', () => new {{Name}}Store({ prefix: 'tessera-test:' }), capabilities)
