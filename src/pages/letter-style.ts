import type { BubbleKind, Language } from '../contract/index.ts'
import { cloudCore } from './balloons.ts'
import { faceFor, textWidth, type FontFace } from './fonts.ts'
import { fitText, normalizeText, type TextArea, type TextBlock } from './text-fit.ts'

// Lettering sizes are set as cap heights in points on the US comic page (faces differ in how big their
// capitals are), then multiplied by the page's scale.
interface KindStyle {
  shape: TextArea['shape']
  cap: number
  minCap: number
  lineHeight: number
  maxLines?: number
  // Share of the balloon's box the text may use, across and down.
  areaW: number
  areaH: number
  // Preferred width/height of a new balloon.
  aspect: number
}

export const KIND_STYLES: Record<BubbleKind, KindStyle> = {
  speech: { shape: 'ellipse', cap: 5.6, minCap: 3.9, lineHeight: 1.18, areaW: 0.86, areaH: 0.82, aspect: 1.5 },
  thought: { shape: 'ellipse', cap: 5.4, minCap: 3.8, lineHeight: 1.2, areaW: 0.66, areaH: 0.58, aspect: 1.45 },
  shout: { shape: 'ellipse', cap: 7.2, minCap: 4.4, lineHeight: 1.05, areaW: 0.7, areaH: 0.64, aspect: 1.45 },
  caption: { shape: 'rect', cap: 5.2, minCap: 3.8, lineHeight: 1.16, areaW: 1, areaH: 1, aspect: 3 },
  sfx: { shape: 'rect', cap: 16, minCap: 6, lineHeight: 0.92, maxLines: 2, areaW: 0.96, areaH: 0.92, aspect: 2.2 },
}

export function capToSize(face: FontFace, cap: number): number {
  return (cap * face.unitsPerEm) / face.capHeight
}

export function captionPadding(scale: number): number {
  return 4 * scale
}

export function textArea(kind: BubbleKind, width: number, height: number, scale: number): TextArea {
  const style = KIND_STYLES[kind]
  if (kind === 'caption') {
    const pad = captionPadding(scale)
    return { shape: 'rect', width: Math.max(1, width - 2 * pad), height: Math.max(1, height - 2 * pad) }
  }
  if (kind === 'thought') {
    const core = cloudCore({ cx: 0, cy: 0, rx: width / 2, ry: height / 2 })
    return { shape: 'ellipse', width: 2 * core.rx * 0.94, height: 2 * core.ry * 0.92 }
  }
  return { shape: style.shape, width: width * style.areaW, height: height * style.areaH }
}

export interface Lettered {
  face: FontFace
  block: TextBlock
}

export function fitBubbleText(kind: BubbleKind, text: string, width: number, height: number, language: Language, scale: number): Lettered {
  const style = KIND_STYLES[kind]
  const face = faceFor(kind, text, language)
  const maxCap = kind === 'sfx' ? Math.max(style.minCap, height * 0.8) : style.cap * scale
  const block = fitText(face, text, textArea(kind, width, height, scale), {
    maxSize: capToSize(face, maxCap),
    minSize: capToSize(face, style.minCap * scale),
    lineHeight: style.lineHeight,
    maxLines: style.maxLines,
  })
  return { face, block }
}

export interface BalloonSize {
  width: number
  height: number
}

// The smallest pleasant balloon (near the kind's aspect) that holds the text at full size, within the limits.
// Sound effects are sized to the panel (capH) rather than to the page's lettering size.
export function sizeBalloon(kind: BubbleKind, text: string, language: Language, scale: number, maxW: number, maxH: number, capH?: number): BalloonSize {
  const style = KIND_STYLES[kind]
  const face = faceFor(kind, text, language)
  const size = capToSize(face, capH ?? style.cap * scale)
  const lh = size * style.lineHeight
  const words = normalizeText(text).flat()
  const minW = 26 * scale
  const minH = 18 * scale
  if (words.length === 0) return { width: minW, height: minH }
  const total = textWidth(face, words.join(' '), size)
  const longest = Math.max(...words.map((w) => textWidth(face, w, size)))
  const ellipse = style.shape === 'ellipse'
  const pad = kind === 'caption' ? 2 * captionPadding(scale) : 0
  let best: BalloonSize | null = null
  let bestScore = Infinity
  for (let lines = 1; lines <= 12; lines++) {
    const blockW = Math.max(longest, (total / lines) * 1.12)
    const blockH = lines * lh
    // An ellipse holds a w×h block when its axes are √2 times the block's.
    const widen = ellipse ? Math.SQRT2 : 1
    const width = Math.max(minW, (blockW * widen) / style.areaW + pad)
    const height = Math.max(minH, (blockH * widen) / style.areaH + pad)
    if (width > maxW || height > maxH) continue
    const score = Math.abs(Math.log(width / height / style.aspect))
    if (score < bestScore) {
      best = { width, height }
      bestScore = score
    }
  }
  let box = best ?? { width: maxW, height: Math.min(maxH, Math.max(minH, maxW / style.aspect)) }
  // Grow until the real fit (ellipse chords, word breaks) holds the text at full size.
  for (let i = 0; i < 12; i++) {
    const fitted = fitBubbleText(kind, text, box.width, box.height, language, scale)
    if (!fitted.block.overflow && !fitted.block.broken && fitted.block.size >= size - 1e-6) break
    const next = { width: Math.min(maxW, box.width * 1.08), height: Math.min(maxH, box.height * 1.08) }
    if (next.width === box.width && next.height === box.height) break
    box = next
  }
  return box
}
