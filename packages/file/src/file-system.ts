/**
 * The part of an open file {@link FileStoreFileSystem.open} returns that the store uses: a
 * subset of `node:fs/promises`' `FileHandle`.
 */
export interface FileStoreFileHandle {
  read(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }>
  write(
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>
  writeFile(data: Uint8Array): Promise<void>
  sync(): Promise<void>
  datasync(): Promise<void>
  stat(): Promise<FileStoreStats>
  close(): Promise<void>
}

/** The fields of `fs.Stats` the store reads. */
export interface FileStoreStats {
  ino: number
  size: number
  mtimeMs: number
  isFile(): boolean
}

/**
 * The file system calls {@link FileStore} makes: a subset of `node:fs/promises`, which is
 * the default. Pass your own (a wrapper around `node:fs/promises`) to count or trace the
 * store's I/O, or to inject faults in tests. Every path the store passes is inside its `dir`.
 *
 * @example
 * ```ts
 * import * as fs from 'node:fs/promises'
 * import { FileStore, type FileStoreFileSystem } from '@tessera/file'
 *
 * let renames = 0
 * const counting: FileStoreFileSystem = {
 *   ...fs,
 *   rename: (from, to) => {
 *     renames++
 *     return fs.rename(from, to)
 *   },
 * }
 * const store = new FileStore({ dir: './sessions', fs: counting })
 * ```
 */
export interface FileStoreFileSystem {
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<string | undefined>
  open(path: string, flags: number, mode?: number): Promise<FileStoreFileHandle>
  readdir(path: string): Promise<string[]>
  lstat(path: string): Promise<FileStoreStats>
  rename(oldPath: string, newPath: string): Promise<void>
  unlink(path: string): Promise<void>
}
