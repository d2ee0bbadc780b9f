import { createServer, type Server, type Socket } from 'node:net'
import { BSON } from 'mongodb'

// A TCP server on 127.0.0.1 that speaks just enough of the MongoDB wire protocol for the real
// driver to connect (it answers the `hello` handshake and heartbeats as a standalone MongoDB
// 7.0 would) and then fails every other command the way a broken server or network does:
// - 'drop': closes the connection when a command arrives (a crash, a reset, a failover);
// - 'silent': never answers it (a stuck server, a half-open connection).
// So the driver's real error paths run: MongoNetworkError, socketTimeoutMS, and pool and
// server-selection behaviour, with no MongoDB server on the machine.

export type BrokenMode = 'drop' | 'silent'

const OP_REPLY = 1
const OP_QUERY = 2004
const OP_MSG = 2013
const HANDSHAKE_COMMANDS = new Set(['hello', 'ismaster', 'isMaster'])

export interface BrokenMongoServer {
  url: string
  /** Commands other than the handshake, by name, as they arrived. */
  commands: string[]
  close(): Promise<void>
}

export async function startBrokenMongoServer(mode: BrokenMode): Promise<BrokenMongoServer> {
  const sockets = new Set<Socket>()
  const commands: string[] = []
  let connectionId = 0
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    const id = ++connectionId
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk])
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0)
        const message = buffered.subarray(0, length)
        buffered = buffered.subarray(length)
        const request = parse(message)
        const name = Object.keys(request.command)[0] ?? ''
        if (HANDSHAKE_COMMANDS.has(name)) {
          socket.write(reply(request, hello(id)))
          continue
        }
        commands.push(name)
        if (name === 'endSessions')
          socket.write(reply(request, { ok: 1 })) // client.close()
        else if (mode === 'drop') socket.destroy()
        // 'silent': no answer, ever
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    commands,
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

interface Request {
  opCode: number
  requestId: number
  command: Record<string, unknown>
}

function parse(message: Buffer): Request {
  const requestId = message.readInt32LE(4)
  const opCode = message.readInt32LE(12)
  if (opCode === OP_MSG) {
    // flagBits (4 bytes), then section kind 0 (1 byte) holding the command document
    const command = BSON.deserialize(message.subarray(21, 21 + message.readInt32LE(21)))
    return { opCode, requestId, command }
  }
  if (opCode === OP_QUERY) {
    // flags (4), full collection name (cstring), numberToSkip (4), numberToReturn (4), query
    const nameEnd = message.indexOf(0, 20)
    const start = nameEnd + 1 + 8
    const command = BSON.deserialize(message.subarray(start, start + message.readInt32LE(start)))
    return { opCode, requestId, command }
  }
  throw new Error(`broken-mongo-server: unexpected opCode ${opCode}`)
}

function reply(request: Request, document: Record<string, unknown>): Buffer {
  const body = Buffer.from(BSON.serialize(document))
  const header = Buffer.alloc(16)
  let prefix: Buffer
  if (request.opCode === OP_MSG) {
    prefix = Buffer.alloc(5) // flagBits 0, section kind 0
    header.writeInt32LE(OP_MSG, 12)
  } else {
    prefix = Buffer.alloc(20) // responseFlags, cursorId (8), startingFrom, numberReturned
    prefix.writeInt32LE(1, 16)
    header.writeInt32LE(OP_REPLY, 12)
  }
  header.writeInt32LE(16 + prefix.length + body.length, 0)
  header.writeInt32LE(request.requestId + 1_000_000, 4)
  header.writeInt32LE(request.requestId, 8)
  return Buffer.concat([header, prefix, body])
}

/** What a standalone MongoDB 7.0 answers to `hello` (no `topologyVersion`: plain polling). */
function hello(connectionId: number): Record<string, unknown> {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  }
}
