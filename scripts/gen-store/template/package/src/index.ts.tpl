export { {{Name}}Store } from './{{name}}-store.js'
export type { {{Name}}StoreOptions } from './{{name}}-store-options.js'
