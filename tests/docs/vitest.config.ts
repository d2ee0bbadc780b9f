import { packageTests } from '../../config/vitest.ts'

// The examples read their configuration from the environment, as apps do. The site build and
// the tarball packing shell out and take tens of seconds on two busy cores; each command is
// bounded (runCommand from @tessera/test-support).
export default packageTests({
  testTimeout: 180_000,
  hookTimeout: 240_000,
  env: {
    NODE_ENV: 'test',
    SESSION_SECRET: 'docs-examples-session-secret-0123456789abcdef',
    COOKIE_KEY: 'docs-examples-cookie-key-0123456789abcdef-new',
    OLD_COOKIE_KEY: 'docs-examples-cookie-key-0123456789abcdef-old',
  },
})
