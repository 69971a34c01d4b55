import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { Comic, ExportFormat, KitsumyError, Trim } from '../contract/index.ts'
import { writeCbz } from './cbz.ts'
import { loadPanelImages } from './images.ts'
import { writePdf } from './pdf.ts'
import { writePngPages } from './png.ts'

export const ExportSettings = z.object({
  format: ExportFormat,
  // A file for pdf and cbz, a folder for png.
  out: z.string().min(1),
  trim: Trim.default('us-comic'),
  // PNG/CBZ page resolution; for PDF, the resolution SVG panel art is rasterised at (text stays vector).
  dpi: z.number().int().min(36).max(600).optional(),
  author: z.string().trim().min(1).max(200).optional(),
})
export type ExportSettings = z.input<typeof ExportSettings>

export interface ExportOptions extends ExportSettings {
  loadImage(imageId: string): Promise<Uint8Array>
  onProgress?(done: number, total: number): void
  signal?: AbortSignal
}

export interface ExportResult {
  files: string[]
  pages: number
}

const DEFAULT_DPI: Record<ExportFormat, number> = { pdf: 300, cbz: 200, png: 300 }
const DEFAULT_AUTHOR = 'Kitsumy Studio'

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new KitsumyError('bad_input', `${what}: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  return result.data
}

// Writes to a temporary name and renames at the end, so a failed or cancelled export leaves no half file.
async function atomically(out: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(out), { recursive: true })
  const tmp = `${out}.part`
  try {
    await write(tmp)
    await rename(tmp, out)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}

// Exports a comic as PDF (vector lettering, embedded fonts), CBZ (PNG pages + ComicInfo.xml) or a folder of
// PNG pages. Every format draws the pages from renderPageSvg, the view the studio shows.
export async function exportComic(comic: Comic, opts: ExportOptions): Promise<ExportResult> {
  const valid = parse(Comic, comic, 'comic')
  const settings = parse(ExportSettings, opts, 'export options')
  if (valid.pages.length === 0) throw new KitsumyError('bad_input', 'the comic has no pages to export')
  const dpi = settings.dpi ?? DEFAULT_DPI[settings.format]
  const author = settings.author ?? DEFAULT_AUTHOR
  const total = valid.pages.length
  const progress = (done: number) => opts.onProgress?.(done, total)
  const images = await loadPanelImages(valid, opts.loadImage, opts.signal)
  const webp = [...images].find(([, image]) => image.kind === 'webp')
  if (webp) throw new KitsumyError('bad_input', `panel image ${webp[0]} is WebP, which the exporters cannot draw; regenerate it as PNG`)
  progress(0)
  const common = { trim: settings.trim, dpi, signal: opts.signal, onPage: progress }
  switch (settings.format) {
    case 'pdf':
      await atomically(settings.out, (tmp) => writePdf(valid, images, { ...common, out: tmp, author }))
      return { files: [settings.out], pages: total }
    case 'cbz':
      await atomically(settings.out, (tmp) => writeCbz(valid, images, { ...common, out: tmp, writer: author }))
      return { files: [settings.out], pages: total }
    case 'png':
      return { files: await writePngPages(valid, images, { ...common, out: settings.out }), pages: total }
  }
}
