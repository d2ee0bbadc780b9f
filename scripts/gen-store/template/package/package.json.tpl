{
  "name": "@tessera/{{name}}",
  "version": "0.0.0",
  "description": "{{Name}} session store for Tessera",
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.cts",
  "exports": {
    ".": {
      "import": {
        "types": "./dist/index.d.ts",
        "default": "./dist/index.js"
      },
      "require": {
        "types": "./dist/index.d.cts",
        "default": "./dist/index.cjs"
      }
    },
    "./package.json": "./package.json"
  },
  "files": [
    "dist",
    "src",
    "README.md"
  ],
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json",
    "lint": "biome check .",
    "test": "vitest run",
    "check:package": "publint --strict && attw --pack . --profile node16"
  },
  "repository": {
    "type": "git",
    "url": "git+https://example.invalid/tessera.git",
    "directory": "packages/{{name}}"
  },
  "engines": {
    "node": ">=20.16"
  },
  "dependencies": {
    "@tessera/core": "workspace:^"
  },
  "//": "peerDependencies: the client library the user creates and passes in, e.g. \"ioredis\": \"^5.4.0 || ^6.0.0\" in @tessera/redis. Add it to devDependencies too, for the tests.",
  "peerDependencies": {},
  "devDependencies": {
    "@tessera/test-support": "workspace:*",
    "@tessera/testkit": "workspace:^"
  }
}
