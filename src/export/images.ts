import { KitsumyError, type Comic } from '../contract/index.ts'

export type ImageKind = 'svg' | 'png' | 'jpeg' | 'webp'

export interface PanelImage {
  bytes: Uint8Array
  kind: ImageKind
}

export const MIME: Record<ImageKind, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
}

// By content, not by name: an engine may hand back a PNG under any extension.
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const b = bytes
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png'
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return 'webp'
  const head = new TextDecoder().decode(b.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart()
  if (head.startsWith('<svg') || ((head.startsWith('<?xml') || head.startsWith('<!')) && head.includes('<svg'))) return 'svg'
  return null
}

export function dataUri(image: PanelImage): string {
  return `data:${MIME[image.kind]};base64,${Buffer.from(image.bytes).toString('base64')}`
}

export function panelImageIds(comic: Comic): string[] {
  const ids = new Set<string>()
  for (const page of comic.pages) for (const panel of page.panels) if (panel.image) ids.add(panel.image)
  return [...ids]
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new KitsumyError('cancelled', 'export cancelled')
}

const PARALLEL_LOADS = 4

// Every panel image the comic shows, read once each.
export async function loadPanelImages(comic: Comic, loadImage: (imageId: string) => Promise<Uint8Array>, signal?: AbortSignal): Promise<Map<string, PanelImage>> {
  const ids = panelImageIds(comic)
  const images = new Map<string, PanelImage>()
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      throwIfAborted(signal)
      const id = ids[next++]
      let bytes: Uint8Array
      try {
        bytes = await loadImage(id)
      } catch (cause) {
        throw new KitsumyError('not_found', `panel image ${id} could not be read`, { cause })
      }
      const kind = sniffImage(bytes)
      if (!kind) throw new KitsumyError('bad_input', `panel image ${id} is not an SVG, PNG, JPEG or WebP image`)
      images.set(id, { bytes, kind })
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_LOADS, ids.length) }, worker))
  return images
}
