import { createWriteStream } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { ZipFile } from 'yazl'
import type { Comic, Trim } from '../contract/index.ts'
import { comicInfoXml, type ComicInfoPage } from './comic-info.ts'
import type { PanelImage } from './images.ts'
import { renderPagesPng } from './pages-png.ts'

export interface CbzOptions {
  out: string
  trim: Trim
  dpi: number
  writer: string
  onPage: (done: number) => void
  signal?: AbortSignal
}

export function cbzPageName(index: number, count: number): string {
  return `page-${String(index + 1).padStart(Math.max(3, String(count).length), '0')}.png`
}

// A CBZ is a zip of page images in reading order (names sort in that order) plus ComicInfo.xml.
// PNGs are stored, not deflated again: they are compressed already.
export async function writeCbz(comic: Comic, images: Map<string, PanelImage>, opts: CbzOptions): Promise<void> {
  const zip = new ZipFile()
  const mtime = new Date(comic.updatedAt)
  const written = pipeline(zip.outputStream, createWriteStream(opts.out))
  const pages: ComicInfoPage[] = []
  try {
    await renderPagesPng(comic, images, {
      trim: opts.trim,
      dpi: opts.dpi,
      signal: opts.signal,
      onPage: (i, page) => {
        zip.addBuffer(page.png, cbzPageName(i, comic.pages.length), { mtime, compress: false })
        pages.push({ width: page.width, height: page.height, bytes: page.png.length })
        opts.onPage(i + 1)
      },
    })
    zip.addBuffer(Buffer.from(comicInfoXml(comic, pages, opts.writer), 'utf8'), 'ComicInfo.xml', { mtime, compress: true })
  } finally {
    zip.end()
    await written
  }
}
