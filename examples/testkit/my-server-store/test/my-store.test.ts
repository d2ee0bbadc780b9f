// The testkit README's StoreCapabilities example, for a store on a server.
// #region capabilities
import { describeStore } from '@tessera/testkit'
import { expect, it } from 'vitest'
import { MyStore } from '../src/index.js'

describeStore('MyStore', () => new MyStore({ url: process.env.MY_URL, prefix: 'test:' }), {
  listByUser: true,
  destroyByUser: true,
  prune: false, // the server expires records itself
  cleanup: (store) => (store as MyStore).disconnect(),
  extraTests: (getStore) => {
    it('keeps records under its prefix', async () => {
      expect((getStore() as MyStore).prefix).toBe('test:')
    })
  },
})
// #endregion capabilities
