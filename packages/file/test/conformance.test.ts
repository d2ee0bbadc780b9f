import { join } from 'node:path'
import { describeStore, EVERY_OPTIONAL_METHOD } from '@tessera/testkit'
import { afterAll, expect, it } from 'vitest'
import { FileStore } from '../src/index.js'
import { tempDir } from './helpers.js'

// The conformance suite, unchanged: every case (and every engine case) gets a directory of
// its own under one temp dir, so counts are exact.
const root = tempDir('conformance')
afterAll(() => root.cleanup())
let stores = 0

describeStore('FileStore', () => new FileStore({ dir: join(root.path, `store-${++stores}`) }), {
  ...EVERY_OPTIONAL_METHOD,
  isolated: true,
  extraTests: (getStore) => {
    it('resolves its directory to an absolute path', () => {
      expect((getStore() as FileStore).dir.startsWith(root.path)).toBe(true)
    })
  },
})
