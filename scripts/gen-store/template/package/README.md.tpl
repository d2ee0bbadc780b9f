# @tessera/{{name}}

{{Name}} session store for [Tessera](../../README.md).

> Scaffolded by `pnpm gen store {{name}}`: every method still throws "not implemented".
> [CONTRIBUTING.md](../../CONTRIBUTING.md) ("Write a store") walks through the rest; replace
> this note with what the store does and which server versions it was designed against.

```sh
pnpm add @tessera/core @tessera/{{name}}
```

## Quick example

```ts
import { createSessionEngine } from '@tessera/core'
import { {{Name}}Store } from '@tessera/{{name}}'

const engine = createSessionEngine({
  secret: process.env.SESSION_SECRET!,
  store: new {{Name}}Store({ prefix: 'myapp:' }),
})
```

With Express, Koa or Hono pass the same `store` to the adapter's `session({ ... })`.

## Options

`new {{Name}}Store(options?: {{Name}}StoreOptions)`

| Option   | Type     | Default      | What it does                                                                   |
| -------- | -------- | ------------ | ------------------------------------------------------------------------------ |
| `prefix` | `string` | `'tessera:'` | Prepended to every key the store writes, so several apps can share one server. |

## Tests

`pnpm --filter @tessera/{{name}} test` runs the conformance suite (`describeStore` from
`@tessera/testkit`) against the store.
