import type { FileStoreFileSystem } from './file-system.js'
import { errorCode } from './no-follow.js'

/**
 * The session directory: created (mode 0700, with missing parents) before the first write,
 * and again if it is deleted while the store runs.
 */
export class StoreDirectory {
  readonly #fs: FileStoreFileSystem
  readonly #path: string
  #ready = false
  #creating: Promise<void> | undefined

  constructor(fs: FileStoreFileSystem, path: string) {
    this.#fs = fs
    this.#path = path
  }

  /**
   * Runs `write` once the directory exists. If it was deleted under us (ENOENT, and the
   * directory is gone), it is created again and `write` runs once more: nothing was written,
   * since everything the store writes is in it.
   */
  async write<T>(write: () => Promise<T>): Promise<T> {
    if (!this.#ready) await this.#create()
    try {
      return await write()
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || (await this.#exists())) throw error
      this.#ready = false
      this.#creating = undefined
      await this.#create()
      return write()
    }
  }

  async #exists(): Promise<boolean> {
    try {
      await this.#fs.lstat(this.#path)
      return true
    } catch {
      return false
    }
  }

  async #create(): Promise<void> {
    this.#creating ??= this.#fs.mkdir(this.#path, { recursive: true, mode: 0o700 }).then(
      () => {
        this.#ready = true
      },
      (error: unknown) => {
        this.#creating = undefined
        throw error
      },
    )
    await this.#creating
  }
}
