import type { Shot } from '../contract/index.ts'

// How a shot frames its subjects: where the horizon sits, how close the backdrop is, how big the
// figures are and whether they are anchored by the feet (wide shots) or by the head (close shots).
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

// Evenly spread across the panel, a touch off-centre for a single figure so there is room to look into.
export function slotsX(count: number, width: number, jitter: number): number[] {
  if (count <= 1) return [width * (0.5 + (jitter - 0.5) * 0.16)]
  const margin = count === 2 ? 0.28 : 0.18
  return Array.from({ length: count }, (_, i) => width * (margin + (i * (1 - 2 * margin)) / (count - 1)))
}
