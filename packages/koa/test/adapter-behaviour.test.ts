import { describeAdapterBehaviour } from '@tessera/adapter-suite'
import { koaHarness, koaVersions } from './koa-harness.js'

for (const { name, Koa } of koaVersions) describeAdapterBehaviour(koaHarness(name, Koa))
