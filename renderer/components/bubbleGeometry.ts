import type { Bubble, BubbleKind } from '../../src/contract/index.ts'

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

export interface Pt {
  x: number
  y: number
}

// Pixel box of a bubble inside a panel of size W×H (bubble geometry is relative to the panel).
export function bubbleBox(b: Pick<Bubble, 'x' | 'y' | 'w' | 'h'>, W: number, H: number): Box {
  return { x: b.x * W, y: b.y * H, w: b.w * W, h: b.h * H }
}

export function hasTail(kind: BubbleKind): boolean {
  return kind === 'speech' || kind === 'shout' || kind === 'thought'
}

function inside(p: Pt, box: Box): boolean {
  return p.x >= box.x && p.x <= box.x + box.w && p.y >= box.y && p.y <= box.y + box.h
}

// A wedge from the bubble's middle to the tip; the bubble's fill hides the part inside it.
export function tailPath(box: Box, tip: Pt): string | null {
  if (inside(tip, box)) return null
  const c = { x: box.x + box.w / 2, y: box.y + box.h / 2 }
  const dx = tip.x - c.x
  const dy = tip.y - c.y
  const len = Math.hypot(dx, dy) || 1
  const half = Math.min(box.w, box.h) * 0.2
  const nx = (-dy / len) * half
  const ny = (dx / len) * half
  return `M${c.x + nx},${c.y + ny} L${tip.x},${tip.y} L${c.x - nx},${c.y - ny} Z`
}

// Trailing puffs for a thought bubble, shrinking towards the thinker.
export function thoughtPuffs(box: Box, tip: Pt): { cx: number; cy: number; r: number }[] {
  if (inside(tip, box)) return []
  const c = { x: box.x + box.w / 2, y: box.y + box.h / 2 }
  const edge = { x: c.x + (tip.x - c.x) * 0.55, y: c.y + (tip.y - c.y) * 0.55 }
  const base = Math.min(box.w, box.h) * 0.09
  return [0.15, 0.5, 0.85].map((f, i) => ({ cx: edge.x + (tip.x - edge.x) * f, cy: edge.y + (tip.y - edge.y) * f, r: base * (1 - i * 0.28) }))
}

// A starburst for shouts: alternating outer and inner points around the ellipse.
export function shoutPath(box: Box, spikes = 14): string {
  const cx = box.x + box.w / 2
  const cy = box.y + box.h / 2
  const pts: string[] = []
  for (let i = 0; i < spikes * 2; i++) {
    const a = (Math.PI * i) / spikes
    const k = i % 2 === 0 ? 0.62 : 0.5
    pts.push(`${(cx + Math.cos(a) * box.w * k).toFixed(1)},${(cy + Math.sin(a) * box.h * k).toFixed(1)}`)
  }
  return `M${pts.join(' L')} Z`
}

// Rough fit of text to a box: shrink the font with the amount of text.
export function fitFontSize(text: string, box: Box, kind: BubbleKind): number {
  const chars = Math.max(4, text.length)
  const area = box.w * box.h * (kind === 'caption' ? 0.8 : 0.5)
  const size = Math.sqrt(area / (chars * 0.62))
  // The longest word has to fit on one line of the bubble's inner width.
  const longest = Math.max(3, ...text.split(/\s+/).map((w) => w.length))
  const inner = box.w * (kind === 'caption' ? 0.9 : 0.7)
  const byWord = inner / (longest * 0.62)
  const max = Math.min(byWord, kind === 'sfx' ? box.h * 0.7 : Math.min(box.h * 0.34, 30))
  return Math.max(8, Math.min(size, max))
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}

// Keeps a moved or resized bubble valid for the contract (0..1, at least 2% wide and tall).
export function normalizeBubble<T extends Pick<Bubble, 'x' | 'y' | 'w' | 'h' | 'tailX' | 'tailY'>>(b: T): T {
  const w = clamp(b.w, 0.02, 1)
  const h = clamp(b.h, 0.02, 1)
  return { ...b, w, h, x: clamp(b.x, 0, 1 - w), y: clamp(b.y, 0, 1 - h), tailX: clamp(b.tailX, -0.5, 1.5), tailY: clamp(b.tailY, -0.5, 1.5) }
}
