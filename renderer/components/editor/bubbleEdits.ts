import type { Bubble, BubbleKind, Language, Panel, ReadingOrder } from '../../../src/contract/index.ts'
import { alongRay, ovalReach } from '../../../src/pages/balloons.ts'
import { fitBubbleText } from '../../../src/pages/letter-style.ts'
import { balloonFor, defaultSpeakerSpots, placeDefaultBubbles } from '../../../src/pages/placement.ts'
import type { Size } from '../../../src/pages/trim.ts'
import { perform } from '../../state/editor.ts'
import { LETTER_SCALE } from '../../state/layouts.ts'
import type { ActionKey } from '../../state/edits.ts'
import { hasTail, normalizeBubble } from '../bubbleGeometry.ts'

// Every bubble change is a panel edit carrying the whole bubble list: one save, one undo step.
export function changeBubble(panel: Panel, bubbleId: string, change: Partial<Bubble>, action: ActionKey, mergeKey?: string): void {
  const bubbles = panel.bubbles.map((b) => (b.id === bubbleId ? normalizeBubble({ ...b, ...change }) : b))
  perform(action, { kind: 'panel', panelId: panel.id, patch: { bubbles } }, { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles } }, mergeKey)
}

export function newBubbleId(): string {
  return `b${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`
}

export interface PanelSetting {
  // The panel in page points.
  size: Size
  language: Language
  readingOrder: ReadingOrder
  // How much bigger than usual the style draws heads (framing.headScaleOf), so balloons keep off them.
  headScale: number
}

// A new balloon is placed as the engine letters a new panel: sized to its text at full lettering size, after
// the panel's balloons in reading order and off them and the faces, its tail aimed at the speaker.
export function addBubble(panel: Panel, kind: BubbleKind, text: string, speakerId: string | null, setting: PanelSetting): Bubble {
  const { size, language, readingOrder, headScale } = setting
  const [placed] = placeDefaultBubbles(
    [{ kind, text, speakerId: hasTail(kind) ? speakerId : null }],
    size,
    defaultSpeakerSpots(panel.characterIds, panel.shot, readingOrder, size, headScale),
    { language, readingOrder, around: panel.bubbles },
  )
  const bubble = normalizeBubble({ id: newBubbleId(), ...placed })
  perform('addBubble', { kind: 'panel', panelId: panel.id, patch: { bubbles: [...panel.bubbles, bubble] } }, { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles } })
  return bubble
}

// Whether the engine letters `b`'s text whole and at a readable size in a balloon of `w`×`h` (panel shares).
function fits(b: Pick<Bubble, 'kind' | 'text'>, w: number, h: number, setting: PanelSetting): boolean {
  const { block } = fitBubbleText(b.kind, b.text, w * setting.size.width, h * setting.size.height, setting.language, LETTER_SCALE)
  return !block.overflow && !block.broken
}

export type TextFit = { fits: true } | { fits: false; fitted: Pick<Bubble, 'x' | 'y' | 'w' | 'h' | 'tailX' | 'tailY'> | null }

const ovalOf = (b: Pick<Bubble, 'x' | 'y' | 'w' | 'h'>) => ({ cx: b.x + b.w / 2, cy: b.y + b.h / 2, rx: b.w / 2, ry: b.h / 2 })

// A tail's tip swallowed by a grown balloon is moved out along the same line, so the balloon keeps its tail.
function keepTail(b: Pick<Bubble, 'x' | 'y' | 'w' | 'h' | 'tailX' | 'tailY'>, was: Pick<Bubble, 'x' | 'y' | 'w' | 'h'>): Pick<Bubble, 'tailX' | 'tailY'> {
  const tip = { x: b.tailX, y: b.tailY }
  const oval = ovalOf(b)
  const reach = ovalReach(oval, tip)
  if (reach > 1.3 || ovalReach(ovalOf(was), tip) <= 1) return { tailX: b.tailX, tailY: b.tailY }
  const out = reach < 1e-6 ? { x: oval.cx, y: b.y + b.h * 1.15 } : alongRay(oval, tip, 1.3)
  return { tailX: out.x, tailY: out.y }
}

// Does the text fit its balloon? If not, the balloon that would hold it (kept centred where it is, inside the
// panel, its tail still outside), or null when even the largest a panel allows is too small.
export function textFit(bubble: Bubble, setting: PanelSetting): TextFit {
  if (fits(bubble, bubble.w, bubble.h, setting)) return { fits: true }
  const size = balloonFor(bubble, setting.size, setting)
  const w = size.width / setting.size.width
  const h = size.height / setting.size.height
  if (!fits(bubble, w, h, setting)) return { fits: false, fitted: null }
  const box = normalizeBubble({ ...bubble, w, h, x: bubble.x + (bubble.w - w) / 2, y: bubble.y + (bubble.h - h) / 2 })
  const tail = hasTail(bubble.kind) ? keepTail(box, bubble) : { tailX: box.tailX, tailY: box.tailY }
  return { fits: false, fitted: normalizeBubble({ x: box.x, y: box.y, w: box.w, h: box.h, ...tail }) }
}

export function deleteBubble(panel: Panel, bubbleId: string): void {
  perform('deleteBubble', { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles.filter((b) => b.id !== bubbleId) } }, { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles } })
}
