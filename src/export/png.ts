import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Comic, Trim } from '../contract/index.ts'
import type { PanelImage } from './images.ts'
import { renderPagesPng } from './pages-png.ts'

export interface PngOptions {
  out: string
  trim: Trim
  dpi: number
  onPage: (done: number) => void
  signal?: AbortSignal
}

export function pngPageName(index: number, count: number): string {
  return `page-${String(index + 1).padStart(Math.max(2, String(count).length), '0')}.png`
}

// A folder of page-NN.png, each written whole (temp name, then rename) so a reader never sees half a page.
export async function writePngPages(comic: Comic, images: Map<string, PanelImage>, opts: PngOptions): Promise<string[]> {
  await mkdir(opts.out, { recursive: true })
  const files: string[] = []
  await renderPagesPng(comic, images, {
    trim: opts.trim,
    dpi: opts.dpi,
    signal: opts.signal,
    onPage: async (i, page) => {
      const file = join(opts.out, pngPageName(i, comic.pages.length))
      await writeFile(`${file}.part`, page.png)
      await rename(`${file}.part`, file)
      files.push(file)
      opts.onPage(i + 1)
    },
  })
  return files
}
