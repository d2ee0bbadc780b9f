// The testkit README's first example.
// #region quick-start
// test/my-store.test.ts
import { describeStore } from '@tessera/testkit'
import { MyStore } from '../src/index.js'

describeStore('MyStore', () => new MyStore(), {
  listByUser: true,
  destroyByUser: true,
  prune: true,
})
// #endregion quick-start
