import type { ReadingOrder, Shot, StyleId } from '../contract/index.ts'

// How a shot frames its subjects: where the horizon sits, how close the backdrop is, how big the figures are and
// whether they are anchored by the feet (wide shots) or by the head (close shots). The offline artist stands its
// figures by it and the lettering keeps balloons off the faces it puts there: one model for both.
export interface Framing {
  horizon: number
  zoom: number
  // Figure height as a share of the panel height.
  figure: number
  anchor: 'feet' | 'head'
  // Feet line (anchor 'feet') or top of the head (anchor 'head'), as a share of the panel height.
  at: number
  // How many characters the shot shows at most.
  room: number
}

const FRAMINGS: Record<Shot, Framing> = {
  'establishing': { horizon: 0.62, zoom: 1, figure: 0.2, anchor: 'feet', at: 0.9, room: 4 },
  'wide': { horizon: 0.58, zoom: 1, figure: 0.4, anchor: 'feet', at: 0.93, room: 4 },
  'medium-wide': { horizon: 0.55, zoom: 1.2, figure: 0.76, anchor: 'feet', at: 0.97, room: 4 },
  'medium': { horizon: 0.55, zoom: 1.5, figure: 1.55, anchor: 'head', at: 0.12, room: 3 },
  'close-up': { horizon: 0.6, zoom: 2.1, figure: 2.5, anchor: 'head', at: 0.12, room: 1 },
  'extreme-close-up': { horizon: 0.6, zoom: 3, figure: 5.2, anchor: 'head', at: -0.05, room: 1 },
  'over-the-shoulder': { horizon: 0.55, zoom: 1.3, figure: 0.82, anchor: 'feet', at: 0.95, room: 3 },
  'low-angle': { horizon: 0.86, zoom: 1.1, figure: 0.95, anchor: 'feet', at: 1.04, room: 3 },
  'high-angle': { horizon: 0.16, zoom: 1, figure: 0.42, anchor: 'feet', at: 0.82, room: 4 },
}

export function framingOf(shot: Shot): Framing {
  return FRAMINGS[shot]
}

// A figure is 100 units from its feet to the top of its head, and its head a circle of HEAD_R units (times the
// style's head scale) at the top.
export const HEAD_R = 12

// Heads grow relative to bodies in cute styles: the artist draws them this much bigger, and the lettering keeps
// balloons off them by the same measure.
const HEAD_SCALES: Partial<Record<StyleId, number>> = { chibi: 1.6 }

export function headScaleOf(styleId: StyleId): number {
  return HEAD_SCALES[styleId] ?? 1
}

// Evenly spread across the panel, a touch off-centre for a single figure so there is room to look into.
function slotsX(count: number, width: number, jitter: number): number[] {
  if (count <= 1) return [width * (0.5 + (jitter - 0.5) * 0.16)]
  const margin = count === 2 ? 0.28 : 0.18
  return Array.from({ length: count }, (_, i) => width * (margin + (i * (1 - 2 * margin)) / (count - 1)))
}

// Where a figure stands: its feet at (x, feet), drawn `s` pixels to the unit.
export interface Stand {
  x: number
  feet: number
  s: number
}

// Who the shot shows, and in which order the front figures stand from left to right: as many as it has room for,
// the first where reading starts (on the right for manga). An over-the-shoulder shot shows the first character
// from behind, near and large (`back`); when it is alone, it also faces us.
export interface InFrame<T> {
  front: T[]
  back: T | null
}

export function inFrame<T>(characters: readonly T[], shot: Shot, readingOrder: ReadingOrder): InFrame<T> {
  const room = FRAMINGS[shot].room
  const overShoulder = shot === 'over-the-shoulder' && characters.length > 0
  const visible = characters.slice(0, overShoulder ? room + 1 : room)
  const front = overShoulder && visible.length > 1 ? visible.slice(1) : visible
  return { front: readingOrder === 'rtl' ? [...front].reverse() : front, back: overShoulder ? visible[0] : null }
}

// The front figures of a w×h panel (inFrame's `front`), each `heights[i]` tall (1 = the usual), `jitter` (0..1)
// nudging a lone one.
export function standFront(shot: Shot, w: number, h: number, heights: readonly number[], headScale: number, jitter: number): Stand[] {
  const framing = FRAMINGS[shot]
  const overShoulder = shot === 'over-the-shoulder'
  const xs = slotsX(heights.length, w, jitter)
  const widest = w / (48 * Math.max(1, heights.length))
  // Big-headed styles step back a little in close shots so the face still fits.
  const closeness = framing.anchor === 'head' ? headScale ** -0.6 : 1
  const base = Math.min((h * framing.figure * closeness) / 100, framing.anchor === 'feet' ? widest : Infinity)
  return heights.map((height, i) => {
    const s = base * height
    return {
      x: overShoulder ? w * (0.55 + 0.25 * (i / Math.max(1, heights.length))) : xs[i],
      feet: framing.anchor === 'feet' ? h * framing.at : h * framing.at + 100 * s,
      s,
    }
  })
}

// The near figure of an over-the-shoulder shot, seen from behind at the left.
export function standBack(w: number, h: number): Stand {
  const s = (h * 2.3) / 100
  return { x: w * 0.16, feet: h * 0.62 + 88 * s, s }
}

export interface Face {
  x: number
  y: number
  r: number
}

// The face of a figure standing at `stand`, its head HEAD_R × headScale units across the top.
export function faceOf(stand: Stand, headScale: number): Face {
  const r = HEAD_R * headScale
  return { x: stand.x, y: stand.feet + stand.s * (r - 100), r: stand.s * r }
}
