import { KitsumyError } from '../contract/index.ts'
import type { ImageStore } from '../library/image-store.ts'

const SIGNATURES: Record<'image/png' | 'image/jpeg' | 'image/webp', (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
}

// A reference image from the user: stored only when its bytes really are the image type it claims.
export function uploadImage(images: ImageStore, mime: keyof typeof SIGNATURES, base64: string): string {
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.length < 16 || !SIGNATURES[mime](bytes)) throw new KitsumyError('bad_input', 'That file is not a PNG, JPEG or WebP image.')
  return images.put(bytes, mime)
}
