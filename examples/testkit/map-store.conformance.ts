import { describeStore } from '@tessera/testkit'
import { MapStore } from './map-store.js'

// #region conformance
describeStore('MapStore', () => new MapStore(), {
  listByUser: true,
  destroyByUser: true,
  prune: true,
  isolated: true,
})
// #endregion conformance
