import { Resvg } from '@resvg/resvg-js'
import { createWriteStream } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import { KitsumyError, type Comic, type Trim } from '../contract/index.ts'
import { fontsDir } from '../pages/font-files.ts'
import { FONT_FACES } from '../pages/fonts.ts'
import { cellRect, resolveLayout } from '../pages/layouts.ts'
import { renderPageSvg } from '../pages/render-svg.ts'
import { pageSize } from '../pages/trim.ts'
import { dataUri, throwIfAborted, type PanelImage } from './images.ts'
import { rasterizeImage } from './raster.ts'

export interface PdfOptions {
  out: string
  trim: Trim
  dpi: number
  author: string
  onPage: (done: number) => void
  signal?: AbortSignal
}

const FALLBACK_FONT = 'Comic Relief|400'

// svg-to-pdfkit asks for fonts by CSS family and boldness; each shipped face is registered under both.
function fontCallback(family: string, bold: boolean): string {
  const name = family.split(',')[0].trim().replace(/^["']|["']$/g, '')
  const face = FONT_FACES.find((f) => f.family === name && (f.weight === 700) === bold) ?? FONT_FACES.find((f) => f.family === name)
  return face ? `${face.family}|${face.weight}` : FALLBACK_FONT
}

// Largest size, in points, at which each image is shown (an image may fill several panels).
function shownSizes(comic: Comic, trim: Trim): Map<string, { width: number; height: number }> {
  const sizes = new Map<string, { width: number; height: number }>()
  for (const page of comic.pages) {
    const cells = resolveLayout(page).cells
    page.panels.forEach((panel, i) => {
      if (!panel.image) return
      const r = cellRect(cells[i], trim, comic.readingOrder)
      const seen = sizes.get(panel.image)
      sizes.set(panel.image, { width: Math.max(r.width, seen?.width ?? 0), height: Math.max(r.height, seen?.height ?? 0) })
    })
  }
  return sizes
}

// PDF readers cannot draw an SVG inside <image>, so SVG art becomes a PNG sharp enough for the panel at
// the chosen dpi; the lettering on top stays vector text.
async function pdfImageHrefs(comic: Comic, images: Map<string, PanelImage>, trim: Trim, dpi: number, signal?: AbortSignal): Promise<Map<string, string>> {
  const hrefs = new Map<string, string>()
  const sizes = shownSizes(comic, trim)
  const pending: (() => Promise<void>)[] = []
  for (const [id, image] of images) {
    if (image.kind === 'png' || image.kind === 'jpeg') {
      hrefs.set(id, dataUri(image))
      continue
    }
    const shown = sizes.get(id)
    if (!shown) continue
    pending.push(async () => {
      throwIfAborted(signal)
      const svg = Buffer.from(image.bytes).toString('utf8')
      const natural = new Resvg(svg, { font: { loadSystemFonts: false } })
      const cover = Math.max(shown.width / natural.width, shown.height / natural.height)
      const raster = await rasterizeImage(svg, natural.width * cover * (dpi / 72))
      hrefs.set(id, `data:image/png;base64,${raster.png.toString('base64')}`)
    })
  }
  let next = 0
  const lanes = Math.max(1, Math.min(availableParallelism(), pending.length))
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < pending.length) await pending[next++]()
  }))
  return hrefs
}

export async function writePdf(comic: Comic, images: Map<string, PanelImage>, opts: PdfOptions): Promise<void> {
  const hrefs = await pdfImageHrefs(comic, images, opts.trim, opts.dpi, opts.signal)
  const size = pageSize(opts.trim)
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: [size.width, size.height],
    margin: 0,
    pdfVersion: '1.7',
    lang: comic.language,
    displayTitle: true,
    info: {
      Title: comic.title,
      Author: opts.author,
      Subject: comic.summary || comic.idea,
      Keywords: 'comic',
      Creator: 'Kitsumy Studio',
      CreationDate: new Date(comic.createdAt),
      ModDate: new Date(comic.updatedAt),
    },
  })
  const dir = fontsDir()
  for (const f of FONT_FACES) doc.registerFont(`${f.family}|${f.weight}`, join(dir, f.file))
  const written = new Promise<void>((resolve, reject) => {
    const file = createWriteStream(opts.out)
    file.on('finish', resolve)
    file.on('error', reject)
    doc.on('error', reject)
    doc.pipe(file)
  })
  const problems: string[] = []
  try {
    for (let i = 0; i < comic.pages.length; i++) {
      throwIfAborted(opts.signal)
      doc.addPage({ size: [size.width, size.height], margin: 0 })
      const svg = renderPageSvg(comic, i, {
        trim: opts.trim,
        imageHref: (id) => {
          const href = hrefs.get(id)
          if (!href) throw new KitsumyError('internal', `panel image ${id} was not prepared`)
          return href
        },
      })
      SVGtoPDF(doc, svg, 0, 0, {
        assumePt: true,
        width: size.width,
        height: size.height,
        fontCallback,
        warningCallback: (w) => { if (/failed to open/i.test(w)) problems.push(w) },
      })
      if (problems.length > 0) throw new KitsumyError('internal', `PDF page ${i + 1}: ${problems[0]}`)
      opts.onPage(i + 1)
      // Let progress events and cancellation through between pages.
      await new Promise((r) => setImmediate(r))
    }
  } finally {
    doc.end()
    await written
  }
}
