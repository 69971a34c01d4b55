import { existsSync, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'
import { IMAGE_CSP, MIME_TYPES, STUDIO_CSP } from '../src/api/web-policy.ts'
import type { ImageStore } from '../src/library/image-store.ts'
import { shippedFontFile } from '../src/pages/font-files.ts'
import { FONT_PATH } from '../src/pages/font-links.ts'

export const SCHEME = 'kitsumy'
export const ORIGIN = `${SCHEME}://studio`

export interface ProtocolFile {
  path: string
  headers: Record<string, string>
}

// What kitsumy://studio/… may serve: a library image by its content-hash id, a shipped lettering font, or a
// file inside the renderer folder. Anything else, on disk or not, is null (a 404). Kept free of 'electron' so it is tested directly.
export function resolveStudioUrl(rawUrl: string, rendererDir: string, images: Pick<ImageStore, 'has' | 'path' | 'mime'>): ProtocolFile | null {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${SCHEME}:` || url.host !== 'studio') return null
  if (url.pathname.startsWith('/files/')) {
    const id = url.pathname.slice('/files/'.length)
    if (!images.has(id)) return null
    return { path: images.path(id), headers: { 'content-type': images.mime(id), 'content-security-policy': IMAGE_CSP, 'x-content-type-options': 'nosniff' } }
  }
  if (url.pathname.startsWith(FONT_PATH)) {
    const file = shippedFontFile(url.pathname.slice(FONT_PATH.length))
    if (!file || !existsSync(file)) return null
    return { path: file, headers: { 'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' } }
  }
  let path: string
  try {
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  // The separator matters: "renderer-old/x" starts with "renderer" but is not inside it.
  const root = normalize(rendererDir + sep)
  const file = normalize(join(root, path === '/' ? 'index.html' : path))
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) return null
  return {
    path: file,
    headers: { 'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': STUDIO_CSP, 'x-content-type-options': 'nosniff' },
  }
}
