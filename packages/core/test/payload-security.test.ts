import * as nodeCrypto from 'node:crypto'
import {
  createNodeCryptoProvider,
  createWebCryptoProvider,
  MemoryStore,
  type NodeCryptoModule,
  SessionDataError,
} from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { countingOpens, exchange, SECRET, testEngine } from './helpers.js'

const ENCRYPTION_KEY = 'an-encryption-key-of-at-least-32-characters!!'
const OLD_ENCRYPTION_KEY = 'the-previous-encryption-key-32-characters-long'

/** Writes `payload` straight into the store under the session of `cookie`. */
async function overwritePayload(
  engine: { options: { crypto: { sha256(data: string): string | Promise<string> } } },
  store: MemoryStore,
  cookie: string,
  payload: string,
) {
  const id = (cookie.split('=')[1] as string).split('.')[0] as string
  const key = await engine.options.crypto.sha256(id)
  const current = await store.get(key)
  await store.set(
    key,
    { ...(current as NonNullable<typeof current>), payload, version: (current?.version ?? 0) + 1 },
    current?.version ?? null,
  )
}

describe('corrupt and hostile payloads are no session, never a 500', () => {
  const hostile: Array<[string, string, string]> = [
    ['not JSON', 'corrupt-payload', '{"c":1}\n{not json'],
    ['no meta line', 'corrupt-payload', '{"views":1}'],
    ['data is an array', 'corrupt-payload', '{"c":1}\n[1,2]'],
    ['meta without createdAt', 'corrupt-payload', '{}\n{}'],
  ]
  for (const [name, reason, payload] of hostile) {
    it(name, async () => {
      const store = new MemoryStore()
      const reasons: string[] = []
      const engine = testEngine({ store, on: { invalid: (e) => reasons.push(e.reason) } })
      const first = await exchange(engine, undefined, (s) => s.set('views', 1))
      await overwritePayload(engine, store, first.cookie as string, payload)
      let newId = ''
      const res = await exchange(engine, first.cookie, (s) => {
        expect(s.isNew).toBe(true)
        expect(s.get('views')).toBeUndefined()
        s.set('views', 2)
        newId = s.id
      })
      expect(reasons).toEqual([reason])
      expect(res.cookie).toContain(newId)
      expect(res.cookie).not.toBe(first.cookie)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
    })
  }

  it('a string value that merely mentions __proto__ is fine', async () => {
    const engine = testEngine<{ note: string }>()
    const first = await exchange(engine, undefined, (s) =>
      s.set('note', 'about __proto__ and constructor'),
    )
    await exchange(engine, first.cookie, (s) =>
      expect(s.get('note')).toBe('about __proto__ and constructor'),
    )
  })
})

describe('keys named __proto__ or constructor are data, read back intact', () => {
  // Ordinary JSON from users (JSON.parse of a request body) can hold these keys. What the
  // write path accepts must read back; nothing may reach a prototype.
  const values: Array<[string, string]> = [
    ['an object with a constructor key', '{"name":"Ferrari","constructor":"Scuderia"}'],
    ['an own __proto__ key', '{"__proto__":{"admin":true},"name":"x"}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}}}'],
    ['__proto__ deep down', `${'{"a":'.repeat(300)}{"__proto__":{"admin":true}}${'}'.repeat(300)}`],
    ['__proto__ inside arrays', '[{"__proto__":{"admin":true}},[{"constructor":1}]]'],
  ]
  for (const [name, json] of values) {
    it(name, async () => {
      const engine = testEngine()
      const first = await exchange(engine, undefined, (s) => s.set('value', JSON.parse(json)))
      await exchange(engine, first.cookie, (s) => {
        expect(s.isNew).toBe(false)
        expect(JSON.stringify(s.get('value'))).toBe(json)
      })
      expect(({} as Record<string, unknown>).admin).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('admin')
    })
  }

  it('top-level keys __proto__ and constructor, through set, update, flash and a conflict replay', async () => {
    const store = new MemoryStore()
    const engine = testEngine({ store })
    const first = await exchange(engine, undefined, (s) => {
      s.set('constructor', 'Scuderia')
      s.set('__proto__', { admin: true })
      s.flash('__proto__', 'hello')
    })
    // Two requests on one session: the second commit conflicts and replays its update.
    const a = engine.start({ cookie: first.cookie })
    const b = engine.start({ cookie: first.cookie })
    await Promise.all([a.load(), b.load()])
    a.session.update('__proto__', (v) => ({ ...(v as object), a: 1 }))
    b.session.update('__proto__', (v) => ({ ...(v as object), b: 2 }))
    await a.commit()
    await b.commit()
    await exchange(engine, first.cookie, (s) => {
      expect(s.keys().sort()).toEqual(['__proto__', 'constructor'])
      expect(s.get('constructor')).toBe('Scuderia')
      expect(s.get('__proto__')).toEqual({ admin: true, a: 1, b: 2 })
      expect(Object.getPrototypeOf(s.all())).toBe(Object.prototype)
      expect(s.takeFlash('__proto__')).toEqual(['hello'])
    })
    expect(Object.prototype).not.toHaveProperty('admin')
  })

  it('a hostile stored payload with such keys is data too, and pollutes nothing', async () => {
    const store = new MemoryStore()
    const engine = testEngine({ store })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    const payload = `{"c":${Date.now()},"f":{"__proto__":["x"]}}\n{"__proto__":{"polluted":true},"views":2}`
    await overwritePayload(engine, store, first.cookie as string, payload)
    await exchange(engine, first.cookie, (s) => {
      expect(s.get('views')).toBe(2)
      expect(s.get('__proto__')).toEqual({ polluted: true })
      expect(s.takeFlash('__proto__')).toEqual(['x'])
    })
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})

describe('data that cannot be serialized is refused at write time', () => {
  it('names the key, saves nothing, and leaves the stored session as it was', async () => {
    const store = new MemoryStore()
    const engine = testEngine({ store })
    const first = await exchange(engine, undefined, (s) => s.set('views', 1))
    let deep: Record<string, unknown> = {}
    const root = deep
    for (let i = 0; i < 20_000; i++) {
      const next = {}
      deep.a = next
      deep = next
    }
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const [key, value] of [
      ['big', 10n],
      ['deep', root],
      ['cyclic', cyclic],
    ] as const) {
      const rs = engine.start({ cookie: first.cookie })
      await rs.load()
      rs.session.set('views', 99)
      rs.session.set(key, value)
      const error = await rs.commit().then(
        () => null,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(SessionDataError)
      expect((error as SessionDataError).key).toBe(key)
      expect((error as SessionDataError).message).toContain(`"${key}"`)
      await exchange(engine, first.cookie, (s) => {
        expect(s.get('views')).toBe(1)
        expect(s.keys()).toEqual(['views'])
      })
    }
  })
})

describe('encryption at rest', () => {
  it('stores ciphertext, reads it back, and rotates keys', async () => {
    const store = new MemoryStore()
    const before = testEngine<{ card: string }>({
      store,
      encryption: { keys: [OLD_ENCRYPTION_KEY] },
    })
    let id = ''
    const first = await exchange(before, undefined, (s) => {
      s.set('card', 'secret-4242')
      id = s.id
    })
    const key = await before.options.crypto.sha256(id)
    const stored = await store.get(key)
    expect(stored?.payload.startsWith('E1.')).toBe(true)
    expect(stored?.payload).not.toContain('secret-4242')
    // New key first, old key still listed: old payloads open, new writes use the new key.
    const after = testEngine<{ card: string }>({
      store,
      encryption: { keys: [ENCRYPTION_KEY, OLD_ENCRYPTION_KEY] },
    })
    await exchange(after, first.cookie, (s) => {
      expect(s.get('card')).toBe('secret-4242')
      s.set('card', 'secret-5555')
    })
    const rewritten = await store.get(key)
    expect(rewritten?.payload.split('.')[1]).not.toBe(stored?.payload.split('.')[1])
    // Once the old key is dropped, a payload still under it is undecryptable: no session.
    const reasons: string[] = []
    const onlyNew = testEngine<{ card: string }>({
      store,
      encryption: { keys: [ENCRYPTION_KEY] },
      on: { invalid: (e) => reasons.push(e.reason) },
    })
    await exchange(onlyNew, first.cookie, (s) => expect(s.get('card')).toBe('secret-5555'))
    const other = await exchange(before, undefined, (s) => s.set('card', 'x'))
    await exchange(onlyNew, other.cookie, (s) => expect(s.isNew).toBe(true))
    expect(reasons).toEqual(['undecryptable'])
  })

  it('decrypts a stored payload once: read again, or written by this engine, it comes from memory', async () => {
    const store = new MemoryStore()
    const counter = countingOpens()
    const writer = testEngine<{ v: string }>({ store, encryption: { keys: ENCRYPTION_KEY } })
    const first = await exchange(writer, undefined, (s) => s.set('v', 'a'))
    const engine = testEngine<{ v: string }>({
      store,
      crypto: counter.provider,
      encryption: { keys: ENCRYPTION_KEY },
    })
    await exchange(engine, first.cookie, (s) => expect(s.get('v')).toBe('a'))
    await exchange(engine, first.cookie, (s) => expect(s.get('v')).toBe('a'))
    expect(counter.opened, 'a payload another engine wrote: opened once').toBe(1)
    await exchange(engine, first.cookie, (s) => s.set('v', 'b'))
    await exchange(engine, first.cookie, (s) => expect(s.get('v')).toBe('b'))
    expect(counter.opened, 'a payload this engine wrote: not opened').toBe(1)
  })

  it('a payload moved under another session key does not open', async () => {
    const store = new MemoryStore()
    const reasons: string[] = []
    const engine = testEngine<{ v: string }>({
      store,
      encryption: { keys: ENCRYPTION_KEY },
      on: { invalid: (e) => reasons.push(e.reason) },
    })
    let idA = ''
    let idB = ''
    await exchange(engine, undefined, (s) => {
      s.set('v', 'A')
      idA = s.id
    })
    const b = await exchange(engine, undefined, (s) => {
      s.set('v', 'B')
      idB = s.id
    })
    const recordA = await store.get(await engine.options.crypto.sha256(idA))
    const keyB = await engine.options.crypto.sha256(idB)
    const recordB = await store.get(keyB)
    await store.set(
      keyB,
      { ...(recordA as NonNullable<typeof recordA>), version: (recordB?.version ?? 1) + 1 },
      recordB?.version ?? null,
    )
    await exchange(engine, b.cookie, (s) => expect(s.get('v')).toBeUndefined())
    expect(reasons).toEqual(['undecryptable'])
  })

  it('a plaintext payload is refused once encryption is on', async () => {
    const store = new MemoryStore()
    const plain = testEngine<{ v: string }>({ store })
    const first = await exchange(plain, undefined, (s) => s.set('v', 'x'))
    const encrypted = testEngine<{ v: string }>({ store, encryption: { keys: ENCRYPTION_KEY } })
    await exchange(encrypted, first.cookie, (s) => expect(s.isNew).toBe(true))
  })
})

describe('crypto providers agree', () => {
  const web = createWebCryptoProvider()
  const node = createNodeCryptoProvider(nodeCrypto as unknown as NodeCryptoModule, Buffer as never)
  it('HMAC and SHA-256 give the same base64url', async () => {
    for (const data of ['', 'abc', 'ünïcödé ✓ 𝄞', 'x'.repeat(1000)]) {
      expect(await web.hmacSha256(SECRET, data)).toBe(node.hmacSha256(SECRET, data))
      expect(await web.sha256(data)).toBe(node.sha256(data))
    }
    expect(node.sha256('abc')).toBe(
      nodeCrypto.createHash('sha256').update('abc').digest('base64url'),
    )
  })
  it('what one seals the other opens; tampering and wrong AAD fail', async () => {
    const text = 'päyload 𝄞 '.repeat(100)
    const fromWeb = await web.seal(ENCRYPTION_KEY, text, 'aad')
    const fromNode = node.seal(ENCRYPTION_KEY, text, 'aad') as string
    expect(node.open(ENCRYPTION_KEY, fromWeb, 'aad')).toBe(text)
    expect(await web.open(ENCRYPTION_KEY, fromNode, 'aad')).toBe(text)
    expect(node.open(ENCRYPTION_KEY, fromWeb, 'other')).toBeNull()
    expect(await web.open(ENCRYPTION_KEY, fromNode, 'other')).toBeNull()
    const tampered = `${fromNode.slice(0, 20)}${fromNode[20] === 'A' ? 'B' : 'A'}${fromNode.slice(21)}`
    expect(node.open(ENCRYPTION_KEY, tampered, 'aad')).toBeNull()
    expect(await web.open(ENCRYPTION_KEY, tampered, 'aad')).toBeNull()
    expect(node.open(ENCRYPTION_KEY, '!!!', 'aad')).toBeNull()
    expect(await web.open(ENCRYPTION_KEY, '!!!', 'aad')).toBeNull()
    expect(web.randomToken(32)).toMatch(/^[\w-]{43}$/)
  })
  it('never reuses an IV or a random byte, across refills of the random pool', () => {
    const seen = new Set<string>()
    // 1000 seals and tokens draw about 44 KB, ten refills of the 4 KB pool.
    for (let i = 0; i < 1000; i++) {
      const sealed = node.seal(ENCRYPTION_KEY, 'same text', i % 2 ? 'aad' : 'other') as string
      seen.add(Buffer.from(sealed, 'base64url').subarray(0, 12).toString('hex'))
      seen.add(node.randomToken(32))
      expect(node.open(ENCRYPTION_KEY, sealed, i % 2 ? 'aad' : 'other')).toBe('same text')
      expect(node.open(ENCRYPTION_KEY, sealed, i % 2 ? 'other' : 'aad')).toBeNull()
    }
    expect(seen.size).toBe(2000)
  })
  it('the engine works the same on the Web Crypto provider', async () => {
    const engine = testEngine<{ v: number }>({ crypto: web, encryption: { keys: ENCRYPTION_KEY } })
    const first = await exchange(engine, undefined, (s) => s.set('v', 1))
    await exchange(engine, first.cookie, (s) => expect(s.get('v')).toBe(1))
    await exchange(engine, `${first.cookie}x`, (s) => expect(s.isNew).toBe(true))
  })
  it('on Node the default provider is the synchronous one', () => {
    expect(testEngine().options.crypto.name).toBe('node-crypto')
  })
})
