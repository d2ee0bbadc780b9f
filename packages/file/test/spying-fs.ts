import * as fs from 'node:fs/promises'
import type { FileStoreFileHandle, FileStoreFileSystem } from '../src/index.js'

/** One call the store made, with every path it named. */
export interface FsCall {
  method: string
  paths: string[]
  flags?: number
  length?: number
  position?: number
}

/** `node:fs/promises` for the store, recording each call (open files' calls included). */
export function spyingFs(calls: FsCall[]): FileStoreFileSystem {
  const handleOf = (handle: fs.FileHandle, path: string): FileStoreFileHandle => {
    const note = (method: string, extra: Partial<FsCall> = {}) =>
      calls.push({ method: `handle.${method}`, paths: [path], ...extra })
    return {
      read: (buffer, offset, length, position) => {
        note('read', { length, position })
        return handle.read(buffer, offset, length, position)
      },
      write: (buffer, offset, length, position) => {
        note('write', { length, position })
        return handle.write(buffer, offset, length, position)
      },
      writeFile: (data) => {
        note('writeFile', { length: data.length })
        return handle.writeFile(data)
      },
      sync: () => {
        note('sync')
        return handle.sync()
      },
      datasync: () => {
        note('datasync')
        return handle.datasync()
      },
      stat: () => {
        note('stat')
        return handle.stat()
      },
      close: () => {
        note('close')
        return handle.close()
      },
    }
  }
  return {
    mkdir: (path, options) => {
      calls.push({ method: 'mkdir', paths: [path] })
      return fs.mkdir(path, options)
    },
    open: async (path, flags, mode) => {
      calls.push({ method: 'open', paths: [path], flags })
      return handleOf(await fs.open(path, flags, mode), path)
    },
    readdir: (path) => {
      calls.push({ method: 'readdir', paths: [path] })
      return fs.readdir(path)
    },
    lstat: (path) => {
      calls.push({ method: 'lstat', paths: [path] })
      return fs.lstat(path)
    },
    rename: (from, to) => {
      calls.push({ method: 'rename', paths: [from, to] })
      return fs.rename(from, to)
    },
    unlink: (path) => {
      calls.push({ method: 'unlink', paths: [path] })
      return fs.unlink(path)
    },
  }
}
