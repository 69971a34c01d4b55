import type { Bubble, BubbleKind, Panel } from '../../../src/contract/index.ts'
import { perform } from '../../state/editor.ts'
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

const SIZE: Record<BubbleKind, { w: number; h: number }> = {
  speech: { w: 0.36, h: 0.22 },
  thought: { w: 0.34, h: 0.22 },
  shout: { w: 0.4, h: 0.26 },
  caption: { w: 0.5, h: 0.14 },
  sfx: { w: 0.3, h: 0.18 },
}

export function addBubble(panel: Panel, kind: BubbleKind, text: string, speakerId: string | null): Bubble {
  const n = panel.bubbles.length
  const { w, h } = SIZE[kind]
  const bubble = normalizeBubble({
    id: newBubbleId(),
    kind,
    text,
    speakerId: hasTail(kind) ? speakerId : null,
    x: kind === 'caption' ? 0.03 : 0.06 + ((n * 0.17) % 0.5),
    y: kind === 'caption' ? 0.03 : 0.05 + ((n * 0.11) % 0.3),
    w,
    h,
    tailX: 0.5,
    tailY: 0.75,
  })
  perform('addBubble', { kind: 'panel', panelId: panel.id, patch: { bubbles: [...panel.bubbles, bubble] } }, { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles } })
  return bubble
}

export function deleteBubble(panel: Panel, bubbleId: string): void {
  perform('deleteBubble', { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles.filter((b) => b.id !== bubbleId) } }, { kind: 'panel', panelId: panel.id, patch: { bubbles: panel.bubbles } })
}
