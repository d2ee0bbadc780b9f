// Cost per request of the engine's load + commit with MemoryStore, as an adapter drives it.
// Prints figures; not a test. Run: pnpm bench:core  (builds core first)
import { webcrypto } from 'node:crypto'
import { createSessionEngine, createWebCryptoProvider, MemoryStore } from '@tessera/core'

const SECRET = 'bench-secret-bench-secret-bench-secret-0123'
const DURATION_MS = Number(process.env.BENCH_MS ?? 1500)

const ENCRYPTION_KEY = 'bench-encryption-key-bench-encryption-key-01'

function engineWith(crypto, encrypted = false) {
  return createSessionEngine({
    secret: SECRET,
    store: new MemoryStore({ maxEntries: 100_000 }),
    ...(crypto ? { crypto } : {}),
    ...(encrypted ? { encryption: { keys: ENCRYPTION_KEY } } : {}),
  })
}

async function cookieFor(engine, data) {
  const rs = engine.start({})
  await rs.load()
  for (const [k, v] of Object.entries(data)) rs.session.set(k, v)
  const headers = await rs.commit()
  return headers.find(([n]) => n === 'set-cookie')[1].split(';')[0]
}

const sampleData = {
  userId: 'user-12345',
  views: 1,
  cart: [
    { sku: 'A-1', qty: 2 },
    { sku: 'B-7', qty: 1 },
  ],
  prefs: { theme: 'dark', lang: 'en' },
}

async function measure(name, run) {
  for (let i = 0; i < 2000; i++) await run(i) // warm up
  let n = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(DURATION_MS) * 1_000_000n
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 200; i++) await run(n++)
  }
  const ns = Number(process.hrtime.bigint() - start) / n
  return {
    name,
    'µs/request': (ns / 1000).toFixed(2),
    'requests/s': Math.round(1e9 / ns).toLocaleString('en'),
  }
}

const rows = []
for (const [label, crypto] of [
  ['node:crypto (sync, default)', undefined],
  ['Web Crypto (async)', createWebCryptoProvider(webcrypto)],
]) {
  const engine = engineWith(crypto)
  const cookie = await cookieFor(engine, sampleData)
  const cookieHeader = `theme=dark; ${cookie}; _ga=GA1.2.3`

  rows.push(
    await measure(`${label}: no cookie, session untouched`, async () => {
      const rs = engine.start({ cookie: 'theme=dark' })
      await rs.load()
      await rs.commit({ status: 200 })
    }),
  )
  rows.push(
    await measure(`${label}: unchanged session (read two keys)`, async () => {
      const rs = engine.start({ cookie: cookieHeader })
      await rs.load()
      rs.session.get('views')
      rs.session.get('cart')
      await rs.commit({ status: 200 })
    }),
  )
  // More distinct cookies than the verified-id cache holds, visited in order: every request
  // pays the HMAC and the SHA-256, as the first request of each session does.
  const cold = []
  for (let i = 0; i < 12_000; i++) cold.push(`theme=dark; ${await cookieFor(engine, sampleData)}`)
  rows.push(
    await measure(`${label}: unchanged session, first sight of cookie`, async (i) => {
      const rs = engine.start({ cookie: cold[i % cold.length] })
      await rs.load()
      rs.session.get('views')
      rs.session.get('cart')
      await rs.commit({ status: 200 })
    }),
  )
  rows.push(
    await measure(`${label}: changed session (update a key)`, async (i) => {
      const rs = engine.start({ cookie: cookieHeader })
      await rs.load()
      rs.session.set('views', i)
      await rs.commit({ status: 200 })
    }),
  )
  rows.push(
    await measure(`${label}: new session created`, async (i) => {
      const rs = engine.start({})
      await rs.load()
      rs.session.set('views', i)
      await rs.commit({ status: 200 })
    }),
  )
  // Encryption at rest: every stored payload is AES-GCM sealed under the store key.
  const sealing = engineWith(crypto, true)
  const sealedCookie = `theme=dark; ${await cookieFor(sealing, sampleData)}`
  rows.push(
    await measure(`${label}: encrypted at rest, unchanged session`, async () => {
      const rs = sealing.start({ cookie: sealedCookie })
      await rs.load()
      rs.session.get('views')
      rs.session.get('cart')
      await rs.commit({ status: 200 })
    }),
  )
  rows.push(
    await measure(`${label}: encrypted at rest, changed session`, async (i) => {
      const rs = sealing.start({ cookie: sealedCookie })
      await rs.load()
      rs.session.set('views', i)
      await rs.commit({ status: 200 })
    }),
  )
}

console.log(`Tessera core engine, MemoryStore, Node ${process.version}, ${DURATION_MS} ms per case`)
console.table(rows)
