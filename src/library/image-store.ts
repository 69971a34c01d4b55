import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, existsSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ImageId, KitsumyError } from '../contract/index.ts'
import type { ImageMime } from '../art/engine.ts'

const EXT: Record<ImageMime, string> = { 'image/svg+xml': 'svg', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' }
const MIME_BY_EXT: Record<string, ImageMime> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' }

// Images are files named by the sha256 of their bytes: the same picture is stored once, and a name can never point outside the folder.
export class ImageStore {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
  }

  put(bytes: Uint8Array, mime: ImageMime): ImageId {
    const id = `${createHash('sha256').update(bytes).digest('hex')}.${EXT[mime]}`
    const file = this.path(id)
    if (existsSync(file)) return id
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
    try {
      mkdirSync(join(this.dir, id.slice(0, 2)), { recursive: true })
      writeFileSync(tmp, bytes)
      renameSync(tmp, file)
    } catch (err) {
      // The cleanup can fail the same way the write did; the write's error is the one to report.
      try {
        rmSync(tmp, { force: true })
      } catch {
        // Nothing was written there.
      }
      const code = (err as NodeJS.ErrnoException).code
      throw new KitsumyError('disk', code === 'ENOSPC' ? 'The disk is full: free some space and retry.' : 'Could not save an image to the library folder.', { cause: err })
    }
    return id
  }

  path(id: string): string {
    const parsed = ImageId.safeParse(id)
    if (!parsed.success) throw new KitsumyError('bad_input', 'Not an image id.')
    return join(this.dir, id.slice(0, 2), id)
  }

  has(id: string): boolean {
    return ImageId.safeParse(id).success && existsSync(this.path(id))
  }

  read(id: string): Uint8Array {
    if (!this.has(id)) throw new KitsumyError('not_found', 'That image is not in the library.')
    return readFileSync(this.path(id))
  }

  mime(id: string): ImageMime {
    return MIME_BY_EXT[id.slice(id.lastIndexOf('.') + 1)]
  }
}
