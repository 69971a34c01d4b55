import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fontFaceRules } from './font-links.ts'
import { FONT_FACES, type FontFace } from './fonts.ts'

// resources/fonts sits two folders above both src/pages and the bundled out/main; a packaged app whose
// resources live elsewhere says so with KITSUMY_FONTS_DIR.
export function fontsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KITSUMY_FONTS_DIR ?? fileURLToPath(new URL('../../resources/fonts/', import.meta.url))
}

export function fontFilePaths(dir: string = fontsDir()): string[] {
  return FONT_FACES.map((f) => join(dir, f.file))
}

// The shipped font file a request names, or null: only those files, never another path.
export function shippedFontFile(name: string, dir: string = fontsDir()): string | null {
  const face = FONT_FACES.find((f) => f.file === name)
  return face ? join(dir, face.file) : null
}

const cache = new Map<string, string>()

function base64Of(path: string): string {
  let data = cache.get(path)
  if (!data) {
    data = readFileSync(path).toString('base64')
    cache.set(path, data)
  }
  return data
}

// @font-face rules for a browser showing the page: either links (the studio serves the fonts) or the
// font files inlined, so the SVG stands alone.
export function fontFaceCss(faces: readonly FontFace[], fontUrl: ((file: string) => string) | null, dir: string = fontsDir()): string {
  return fontFaceRules(faces, (f) => fontUrl ? fontUrl(f.file) : `data:font/ttf;base64,${base64Of(join(dir, f.file))}`)
}
