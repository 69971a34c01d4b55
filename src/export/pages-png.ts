import { availableParallelism } from 'node:os'
import type { Comic, Trim } from '../contract/index.ts'
import { renderPageSvg } from '../pages/render-svg.ts'
import { dataUri, throwIfAborted, type PanelImage } from './images.ts'
import { rasterizePage, type RasterPage } from './raster.ts'

export interface PagesPngOptions {
  trim: Trim
  dpi: number
  signal?: AbortSignal
  // Called in page order as each page is ready.
  onPage: (index: number, page: RasterPage) => Promise<void> | void
}

// Every page drawn by resvg from the same SVG the studio shows, a few at a time, delivered in order.
export async function renderPagesPng(comic: Comic, images: Map<string, PanelImage>, opts: PagesPngOptions): Promise<void> {
  const hrefs = new Map([...images].map(([id, image]) => [id, dataUri(image)]))
  const imageHref = (id: string) => hrefs.get(id) ?? ''
  const lanes = Math.max(1, Math.min(availableParallelism() + 1, comic.pages.length))
  const started: Promise<RasterPage>[] = []
  const start = (i: number) => {
    throwIfAborted(opts.signal)
    started[i] = rasterizePage(renderPageSvg(comic, i, { trim: opts.trim, imageHref }), opts.dpi)
  }
  for (let i = 0; i < lanes; i++) start(i)
  for (let i = 0; i < comic.pages.length; i++) {
    throwIfAborted(opts.signal)
    const page = await started[i]
    if (i + lanes < comic.pages.length) start(i + lanes)
    await opts.onPage(i, page)
  }
}
