// The smallest keep-alive server node:http allows: measures the load generator's own ceiling.
import { createServer } from 'node:http'
import { announceReady } from './common.mjs'

const server = createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain')
  res.end('ok')
})
server.listen(0, '127.0.0.1', () => announceReady(server.address().port, [() => server.close()]))
