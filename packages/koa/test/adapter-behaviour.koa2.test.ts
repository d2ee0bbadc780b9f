import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import Koa2 from 'koa2'
import { vi } from 'vitest'
import { koaHarness } from './koa-harness.js'

// An app on Koa 2 has it installed as `koa`, which @tessera/koa resolves (a peer dependency):
// mocking the name reproduces that, so the adapter sees Koa 2's context prototype.
vi.mock('koa', async () => await import('koa2'))

describeAdapterBehaviour(koaHarness('koa 2', Koa2))
