import { KitsumyError, type Comic, type Panel, type Trim } from '../contract/index.ts'
import { fontFaceCss } from './font-files.ts'
import { FONT_FACES, faceFor, type FontFace } from './fonts.ts'
import { cellRect, resolveLayout } from './layouts.ts'
import { renderBubble } from './lettering.ts'
import { esc, n } from './svg.ts'
import { DEFAULT_TRIM, pageFrame, type PageFrame, type Rect } from './trim.ts'

export interface RenderPageOptions {
  // Where a panel image is fetched from: `/files/<id>` in the studio, a data: URI when exporting.
  imageHref(imageId: string): string
  trim?: Trim
  // Inline the fonts the page uses (a standalone SVG); or link them through fontUrl.
  embedFonts?: boolean
  fontUrl?: (file: string) => string
  pageNumbers?: boolean
}

const INK = '#141414'

function placeholder(panel: Panel, r: Rect, scale: number): string {
  const failed = panel.status === 'failed'
  const tone = failed ? '#d77a7a' : '#b7bfcc'
  const s = Math.min(r.width, r.height) * 0.2
  const x = r.x + r.width / 2 - s / 2
  const y = r.y + r.height / 2 - s * 0.4
  const h = s * 0.8
  const mountains = `M${n(x + s * 0.08)} ${n(y + h * 0.86)}L${n(x + s * 0.38)} ${n(y + h * 0.42)}L${n(x + s * 0.56)} ${n(y + h * 0.66)}` +
    `L${n(x + s * 0.7)} ${n(y + h * 0.52)}L${n(x + s * 0.92)} ${n(y + h * 0.86)}Z`
  return `<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}" fill="${failed ? '#f7eded' : '#eef0f4'}"/>` +
    `<g fill="none" stroke="${tone}" stroke-width="${n(1.3 * scale)}" stroke-linejoin="round">` +
    `<rect x="${n(x)}" y="${n(y)}" width="${n(s)}" height="${n(h)}" rx="${n(s * 0.08)}"/>` +
    `<path d="${mountains}"/><circle cx="${n(x + s * 0.72)}" cy="${n(y + h * 0.26)}" r="${n(s * 0.08)}"/>` +
    (failed ? `<path d="M${n(x)} ${n(y)}L${n(x + s)} ${n(y + h)}"/>` : '') +
    '</g>'
}

function panelSvg(comic: Comic, panel: Panel, r: Rect, clipId: string, frame: PageFrame, opts: RenderPageOptions): string {
  const art = panel.image
    ? `<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}" fill="#ffffff"/>` +
      `<image href="${esc(opts.imageHref(panel.image))}" x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}" preserveAspectRatio="xMidYMid slice"/>`
    : placeholder(panel, r, frame.scale)
  const lettering = panel.bubbles.map((b) => renderBubble(b, r, { language: comic.language, scale: frame.scale })).join('')
  // Art and lettering are clipped at the border: an off-panel speaker's tail ends there.
  return `<g data-panel-id="${esc(panel.id)}" data-status="${panel.status}">` +
    `<g clip-path="url(#${clipId})">${art}${lettering}</g>` +
    `<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}" fill="none" stroke="${INK}" stroke-width="${n(1.7 * frame.scale)}"/>` +
    '</g>'
}

function folio(comic: Comic, pageIndex: number, frame: PageFrame): string {
  const label = String(pageIndex + 1)
  const face = faceFor('folio', label, comic.language)
  const size = 7 * frame.scale
  const y = frame.live.y + frame.live.height + (frame.page.height - frame.live.y - frame.live.height) * 0.55 + size * 0.35
  const x = frame.page.width / 2
  const weight = face.weight === 700 ? ' font-weight="bold"' : ''
  return `<text font-family="${face.family}"${weight} font-size="${n(size)}" fill="#6b7280" text-anchor="middle" x="${n(x)}" y="${n(y)}">${label}</text>`
}

function facesUsed(body: string): FontFace[] {
  const used = new Set<string>()
  for (const m of body.matchAll(/font-family="([^"]+)"( font-weight="bold")?/g)) used.add(`${m[1]} ${m[2] ? 700 : 400}`)
  return FONT_FACES.filter((f) => used.has(f.key))
}

// One comic page as SVG in page units (points): panel borders, panel art, and lettering as real text.
// The studio shows it and every exporter draws from it, so what is exported is what was seen.
export function renderPageSvg(comic: Comic, pageIndex: number, opts: RenderPageOptions): string {
  const page = comic.pages[pageIndex]
  if (!page) throw new KitsumyError('bad_input', `comic has no page ${pageIndex + 1}`)
  const trim = opts.trim ?? DEFAULT_TRIM
  const frame = pageFrame(trim)
  const layout = resolveLayout(page)
  const prefix = `k-${page.id}`
  const rects = layout.cells.map((c) => cellRect(c, trim, comic.readingOrder))
  const clips = rects.map((r, i) => `<clipPath id="${prefix}-${i}"><rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.width)}" height="${n(r.height)}"/></clipPath>`)
  const panels = page.panels.map((p, i) => panelSvg(comic, p, rects[i], `${prefix}-${i}`, frame, opts)).join('')
  const body = panels + (opts.pageNumbers === false ? '' : folio(comic, pageIndex, frame))
  const css = opts.embedFonts || opts.fontUrl ? `<style>${fontFaceCss(facesUsed(body), opts.fontUrl ?? null)}</style>` : ''
  const { width, height } = frame.page
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" data-page-id="${esc(page.id)}" data-layout="${esc(layout.id)}">` +
    `<defs>${css}${clips.join('')}</defs>` +
    `<rect width="${n(width)}" height="${n(height)}" fill="#ffffff"/>` +
    body +
    '</svg>'
}
