import { capHeight, textWidth, type FontFace } from './fonts.ts'

// The room text may use inside a balloon: an ellipse (speech, thought, shout) or a rectangle (caption, SFX).
export type TextArea = { shape: 'ellipse' | 'rect'; width: number; height: number }

export interface FitOptions {
  maxSize: number
  minSize: number
  lineHeight: number
  maxLines?: number
}

export interface TextBlock {
  size: number
  lineHeight: number
  lines: string[]
  widths: number[]
  // Offset of each line's baseline from the area's vertical centre.
  baselines: number[]
  height: number
  overflow: boolean
  // A word had to be split across lines.
  broken: boolean
}

const SIZE_STEP = 0.25

export function normalizeText(text: string): string[][] {
  return text.replace(/\r\n?/g, '\n').split('\n')
    .map((para) => para.split(/[ \t\u00a0]+/).filter((w) => w.length > 0))
    .filter((words) => words.length > 0)
}

// Width available to line k of n in the area, measured where the line's ink comes nearest the edge.
function lineWidths(area: TextArea, n: number, lineHeight: number): number[] {
  if (area.shape === 'rect') return Array(n).fill(area.width) as number[]
  const a = area.width / 2
  const b = area.height / 2
  const total = n * lineHeight
  return Array.from({ length: n }, (_, k) => {
    const top = -total / 2 + k * lineHeight
    const edge = Math.max(Math.abs(top + lineHeight * 0.12), Math.abs(top + lineHeight * 0.88))
    const ratio = edge / b
    return ratio >= 1 ? 0 : 2 * a * Math.sqrt(1 - ratio * ratio)
  })
}

// Splits a word too long for any line into pieces that fit, so nothing runs out of its balloon.
function splitWord(face: FontFace, word: string, size: number, width: number): string[] {
  const pieces: string[] = []
  let current = ''
  for (const ch of word) {
    if (current && textWidth(face, current + ch, size) > width) {
      pieces.push(current)
      current = ch
    } else current += ch
  }
  if (current) pieces.push(current)
  return pieces
}

function wrap(face: FontFace, paragraphs: string[][], size: number, widths: number[], breakWords: boolean): string[] | null {
  const lines: string[] = []
  const space = textWidth(face, ' ', size)
  for (const words of paragraphs) {
    let line = ''
    let lineW = 0
    const queue = [...words]
    while (queue.length > 0) {
      const limit = widths[lines.length]
      if (limit === undefined || limit <= 0) return null
      const word = queue[0]
      const w = textWidth(face, word, size)
      if (!line) {
        if (w > limit) {
          if (!breakWords) return null
          const pieces = splitWord(face, word, size, limit)
          if (pieces.length < 2) return null
          queue.splice(0, 1, ...pieces)
          continue
        }
        line = word
        lineW = w
        queue.shift()
      } else if (lineW + space + w <= limit) {
        line += ' ' + word
        lineW += space + w
        queue.shift()
      } else {
        lines.push(line)
        line = ''
        lineW = 0
      }
    }
    if (line) lines.push(line)
    if (lines.length > widths.length) return null
  }
  return lines
}

function block(face: FontFace, lines: string[], size: number, lineHeight: number, overflow: boolean, broken: boolean): TextBlock {
  const lh = size * lineHeight
  const total = lines.length * lh
  const cap = capHeight(face, size)
  return {
    size,
    lineHeight: lh,
    lines,
    widths: lines.map((l) => textWidth(face, l, size)),
    baselines: lines.map((_, k) => -total / 2 + k * lh + lh / 2 + cap / 2),
    height: total,
    overflow,
    broken,
  }
}

// The largest size (down to minSize) at which the text wraps inside the area. A balloon too small even
// for that keeps the minimum size and reports overflow rather than letters too small to read.
export function fitText(face: FontFace, text: string, area: TextArea, opts: FitOptions): TextBlock {
  const paragraphs = normalizeText(text)
  if (paragraphs.length === 0) return block(face, [], opts.maxSize, opts.lineHeight, false, false)
  // Words are broken only when no size keeps them whole.
  for (const breakWords of [false, true]) {
    for (let size = opts.maxSize; size >= opts.minSize - 1e-9; size -= SIZE_STEP) {
      const lh = size * opts.lineHeight
      const maxLines = Math.min(opts.maxLines ?? Infinity, Math.floor(area.height / lh))
      for (let n = paragraphs.length; n <= maxLines; n++) {
        const lines = wrap(face, paragraphs, size, lineWidths(area, n, lh), breakWords)
        if (lines) return block(face, lines, size, opts.lineHeight, false, breakWords)
      }
    }
  }
  const size = opts.minSize
  const lines = wrap(face, paragraphs, size, Array(64).fill(area.width) as number[], true) ?? paragraphs.map((p) => p.join(' '))
  return block(face, lines, size, opts.lineHeight, true, true)
}
