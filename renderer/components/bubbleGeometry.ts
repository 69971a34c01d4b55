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

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v))
}

// Keeps a moved or resized bubble valid for the contract (0..1, at least 2% wide and tall).
export function normalizeBubble<T extends Pick<Bubble, 'x' | 'y' | 'w' | 'h' | 'tailX' | 'tailY'>>(b: T): T {
  const w = clamp(b.w, 0.02, 1)
  const h = clamp(b.h, 0.02, 1)
  return { ...b, w, h, x: clamp(b.x, 0, 1 - w), y: clamp(b.y, 0, 1 - h), tailX: clamp(b.tailX, -0.5, 1.5), tailY: clamp(b.tailY, -0.5, 1.5) }
}
