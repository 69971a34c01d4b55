import type { Bubble, BubbleKind, Language, ReadingOrder, Shot, Trim } from '../contract/index.ts'
import { alongRay, ovalReach, tipOutside } from './balloons.ts'
import { sizeBalloon, type BalloonSize } from './letter-style.ts'
import { faceOf, inFrame, standBack, standFront, type Face as FramedFace } from './framing.ts'
import { pageFrame, type Rect, type Size } from './trim.ts'

export interface LineToPlace {
  kind: BubbleKind
  text: string
  speakerId: string | null
}

// Where a character's face is in the panel: centre as fractions of the panel, radius as a share of the
// panel's shorter side.
export interface SpeakerSpot {
  id: string
  x: number
  y: number
  r: number
}

export interface PlaceOptions {
  language: Language
  readingOrder: ReadingOrder
  trim?: Trim
  // Balloons already in the panel (a bubble added in the editor): new ones go after them in reading order,
  // off them where there is room.
  around?: readonly Pick<Bubble, 'kind' | 'x' | 'y' | 'w' | 'h'>[]
}

export type PlacedBubble = Omit<Bubble, 'id'>

// Where the faces are, as the offline artist draws them (framing.ts): each character of the panel that the shot
// has room for, the first where reading starts (left, or right for manga), so balloons in reading order need no
// crossing tails. A character left out of the frame has no spot: their lines come from off the panel. Pictures
// from cloud engines are framed by the same shot words, so this is where their faces usually are too.
export function defaultSpeakerSpots(characterIds: readonly string[], shot: Shot, readingOrder: ReadingOrder, panel: Size, headScale = 1): SpeakerSpot[] {
  const { width: w, height: h } = panel
  const { front, back } = inFrame(characterIds, shot, readingOrder)
  const spot = (id: string, f: FramedFace): SpeakerSpot => ({ id, x: f.x / w, y: f.y / h, r: f.r / Math.min(w, h) })
  const stands = standFront(shot, w, h, front.map(() => 1), headScale, 0.5)
  const spots = front.map((id, i) => spot(id, faceOf(stands[i], headScale)))
  // Seen from behind, the near figure's face is hidden: it speaks from its head, unless it also faces us.
  if (back !== null && !front.includes(back)) spots.push(spot(back, faceOf(standBack(w, h), headScale)))
  return spots
}

interface Face {
  cx: number
  cy: number
  r: number
}

interface Placed {
  box: Rect
  ordered: boolean
}

function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

function faceSquare(f: Face): Rect {
  const half = f.r * 1.05
  return { x: f.cx - half, y: f.cy - half, width: half * 2, height: half * 2 }
}

// Share of each face a box covers, summed: the main thing a balloon must not do.
function faceCover(box: Rect, faces: Face[]): number {
  return faces.reduce((sum, f) => {
    const sq = faceSquare(f)
    return sum + overlapArea(box, sq) / (sq.width * sq.height)
  }, 0)
}

// Roughly where each speaker's body is, below the face: better left visible too, if less strictly.
function bodyCover(box: Rect, faces: Face[]): number {
  return faces.reduce((sum, f) => {
    const body = { x: f.cx - f.r * 1.2, y: f.cy + f.r, width: f.r * 2.4, height: f.r * 2.5 }
    return sum + overlapArea(box, body) / (body.width * body.height)
  }, 0)
}

function spread(from: number, to: number, steps: number): number[] {
  if (to <= from) return [Math.max(0, (from + to) / 2)]
  return Array.from({ length: steps + 1 }, (_, i) => from + ((to - from) * i) / steps)
}

// A later balloon must sit below an earlier one, or beside it on the reading side without rising above it.
function readsAfter(box: Rect, earlier: Rect, order: ReadingOrder, panelH: number): boolean {
  if (box.y >= earlier.y + earlier.height * 0.6) return true
  if (box.y < earlier.y - panelH * 0.02) return false
  return order === 'ltr'
    ? box.x >= earlier.x + earlier.width * 0.6
    : box.x + box.width <= earlier.x + earlier.width * 0.4
}

interface Candidate {
  box: Rect
  score: number
}

function candidates(kind: BubbleKind, size: BalloonSize, panel: Size, placed: Placed[], inset: number): Rect[] {
  const { width: bw, height: bh } = size
  if (kind === 'caption') {
    const ys = [0, panel.height - bh, ...placed.map((p) => p.box.y + p.box.height)]
    return [0, panel.width - bw].flatMap((x) => ys.map((y) => ({ x, y, width: bw, height: bh })))
  }
  const xs = spread(inset, panel.width - inset - bw, 24)
  const ys = spread(inset, panel.height - inset - bh, 24)
  return xs.flatMap((x) => ys.map((y) => ({ x, y, width: bw, height: bh })))
}

function scoreOf(kind: BubbleKind, box: Rect, speaker: Face | null, faces: Face[], panel: Size, order: ReadingOrder): number {
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const startSide = order === 'ltr' ? box.x / panel.width : (panel.width - box.x - box.width) / panel.width
  if (kind === 'sfx') {
    return Math.abs(cx / panel.width - 0.5) + Math.abs(cy / panel.height - 0.68) + 4 * faceCover(box, faces) + 1.5 * bodyCover(box, faces)
  }
  if (kind === 'caption') return 3 * (box.y / panel.height) + startSide
  let score = 10 * faceCover(box, faces) + 0.8 * bodyCover(box, faces)
  if (speaker) {
    // High in the panel, but within a short tail of the speaker's head.
    const gap = (speaker.cy - speaker.r - (box.y + box.height)) / panel.height
    score += 1.5 * (box.y / panel.height) + 3 * Math.max(0, gap - 0.14)
    score += 1.6 * Math.abs(cx - speaker.cx) / panel.width
    if (box.y + box.height > speaker.cy - speaker.r * 0.3) score += 1.2
  } else {
    score += 3 * (box.y / panel.height) + 0.8 * startSide
  }
  return score
}

function choose(kind: BubbleKind, size: BalloonSize, panel: Size, placed: Placed[], speaker: Face | null, faces: Face[], opts: PlaceOptions, scale: number): Rect {
  const inset = Math.min(panel.width, panel.height) * 0.03
  const gap = 2.5 * scale
  const all = candidates(kind, size, panel, placed, inset)
  const ordered = kind !== 'sfx'
  // Relax step by step when the panel is crowded: first reading order, then overlap.
  for (let level = 0; level < 3; level++) {
    let best: Candidate | null = null
    for (const box of all) {
      const grown = { x: box.x - gap, y: box.y - gap, width: box.width + 2 * gap, height: box.height + 2 * gap }
      const overlap = placed.reduce((sum, p) => sum + overlapArea(grown, p.box), 0)
      if (level < 2 && overlap > 0) continue
      if (level < 1 && ordered && !placed.every((p) => !p.ordered || readsAfter(box, p.box, opts.readingOrder, panel.height))) continue
      const score = scoreOf(kind, box, speaker, faces, panel, opts.readingOrder) + (overlap / (box.width * box.height)) * 20
      if (!best || score < best.score) best = { box, score }
    }
    if (best) return best.box
  }
  return all[0]
}

// Where the tail ends: aimed at the speaker's mouth, stopping just outside the face.
function tailTip(box: Rect, kind: BubbleKind, speakerId: string | null, speaker: Face | null, panel: Size): { x: number; y: number } {
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const none = { x: cx, y: cy }
  if (kind === 'caption' || kind === 'sfx' || speakerId === null) return none
  if (!speaker) {
    // Off-panel voice: the tail points out through the nearer side of the panel.
    return { x: cx < panel.width / 2 ? -0.03 * panel.width : 1.03 * panel.width, y: cy + box.height * 0.35 }
  }
  const mouth = { x: speaker.cx, y: speaker.cy + speaker.r * 0.45 }
  let dx = cx - mouth.x
  let dy = cy - mouth.y
  const len = Math.hypot(dx, dy) || 1
  dx /= len
  dy /= len
  const mx = mouth.x - speaker.cx
  const my = mouth.y - speaker.cy
  const radius = speaker.r * 1.3
  const b = mx * dx + my * dy
  const t = -b + Math.sqrt(Math.max(0, b * b - (mx * mx + my * my) + radius * radius))
  let tip = { x: mouth.x + dx * t, y: mouth.y + dy * t }
  const rx = box.width / 2
  const ry = box.height / 2
  const oval = { cx, cy, rx, ry }
  if (!tipOutside(oval, tip)) {
    // A balloon right beside the face: a short tail from its edge towards the mouth, unless the mouth is under it.
    return ovalReach(oval, mouth) <= 1.5 ? none : alongRay(oval, mouth, 1.4)
  }
  // Long tails cross the art; keep the tip within reach of the balloon.
  const reach = Math.max(rx, ry) + panel.height * 0.25
  const dist = Math.hypot(tip.x - cx, tip.y - cy)
  if (dist > reach) tip = { x: cx + ((tip.x - cx) / dist) * reach, y: cy + ((tip.y - cy) / dist) * reach }
  return tip
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

// A balloon for `line` in a panel of `panel` points: as small as holds its text at full lettering size, at most
// the share of the panel a balloon may take (a sound effect is lettered to the panel's size).
export function balloonFor(line: Pick<LineToPlace, 'kind' | 'text'>, panel: Size, opts: Pick<PlaceOptions, 'language' | 'trim'>): BalloonSize {
  const scale = pageFrame(opts.trim).scale
  const maxW = panel.width * (line.kind === 'caption' ? 0.8 : line.kind === 'sfx' ? 0.6 : 0.9)
  const maxH = panel.height * (line.kind === 'sfx' ? 0.35 : 0.45)
  const sfxCap = line.kind === 'sfx' ? Math.max(12 * scale, Math.min(panel.width, panel.height) * 0.13) : undefined
  return sizeBalloon(line.kind, line.text, opts.language, scale, maxW, maxH, sfxCap)
}

// Default lettering for a new panel: balloons near the top in reading order, off the faces, tails aimed at
// their speakers; captions in the corners; sound effects low in the panel. Geometry comes back relative to
// the panel (0..1), ready to become Bubbles. `panel` is the panel's size in page units (see layoutRects).
export function placeDefaultBubbles(lines: readonly LineToPlace[], panel: Size, speakers: readonly SpeakerSpot[], opts: PlaceOptions): PlacedBubble[] {
  const scale = pageFrame(opts.trim).scale
  const unit = Math.min(panel.width, panel.height)
  const faces = new Map<string, Face>(speakers.map((s) => [s.id, { cx: s.x * panel.width, cy: s.y * panel.height, r: s.r * unit }]))
  const allFaces = [...faces.values()]
  const placed: Placed[] = (opts.around ?? []).map((b) => ({
    box: { x: b.x * panel.width, y: b.y * panel.height, width: b.w * panel.width, height: b.h * panel.height },
    ordered: b.kind !== 'sfx',
  }))
  return lines.map((line) => {
    const size = balloonFor(line, panel, opts)
    const speaker = line.speakerId ? faces.get(line.speakerId) ?? null : null
    const box = choose(line.kind, size, panel, placed, speaker, allFaces, opts, scale)
    placed.push({ box, ordered: line.kind !== 'sfx' })
    const tip = tailTip(box, line.kind, line.speakerId, speaker, panel)
    return {
      kind: line.kind,
      text: line.text,
      speakerId: line.speakerId,
      x: clamp(box.x / panel.width, 0, 1),
      y: clamp(box.y / panel.height, 0, 1),
      w: clamp(box.width / panel.width, 0.02, 1),
      h: clamp(box.height / panel.height, 0.02, 1),
      tailX: clamp(tip.x / panel.width, -0.5, 1.5),
      tailY: clamp(tip.y / panel.height, -0.5, 1.5),
    }
  })
}
