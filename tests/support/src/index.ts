export * from './readme-blocks.js'
export * from './redis-server.js'
export * from './service.js'
export * from './sql-servers.js'
