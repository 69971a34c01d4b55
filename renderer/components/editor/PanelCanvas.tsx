import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Bubble, Language, Panel } from '../../../src/contract/index.ts'
import type { Size } from '../../../src/pages/trim.ts'
import { describeStoredError } from '../../../src/i18n/index.ts'
import { select } from '../../state/editor.ts'
import { fileUrl } from '../../state/session.ts'
import { bubbleBox, clamp, hasTail, normalizeBubble, type Pt } from '../bubbleGeometry.ts'
import { Icon } from '../Icon.tsx'
import { Lettering } from '../Lettering.tsx'
import { changeBubble, deleteBubble } from './bubbleEdits.ts'

type Mode = 'move' | 'resize' | 'tail'

interface Drag {
  mode: Mode
  bubble: Bubble
  start: Pt
  moved: boolean
}

const ACTION: Record<Mode, 'move' | 'resize' | 'tail'> = { move: 'move', resize: 'resize', tail: 'tail' }
const ARROWS: Record<string, Pt> = { ArrowLeft: { x: -1, y: 0 }, ArrowRight: { x: 1, y: 0 }, ArrowUp: { x: 0, y: -1 }, ArrowDown: { x: 0, y: 1 } }

// Drags preview locally and become one edit when the pointer is let go.
function dragged(d: Drag, now: Pt, W: number, H: number): Bubble {
  const dx = (now.x - d.start.x) / W
  const dy = (now.y - d.start.y) / H
  const b = d.bubble
  if (d.mode === 'move') return normalizeBubble({ ...b, x: b.x + dx, y: b.y + dy, tailX: b.tailX + dx, tailY: b.tailY + dy })
  if (d.mode === 'resize') return normalizeBubble({ ...b, w: b.w + dx, h: b.h + dy })
  return normalizeBubble({ ...b, tailX: b.tailX + dx, tailY: b.tailY + dy })
}

// `size` is the panel in page points (how the engine letters it), drawn W×H units.
export function PanelCanvas({ panel, W, H, size, language, selectedBubbleId, label }: { panel: Panel; W: number; H: number; size: Size; language: Language; selectedBubbleId: string | null; label: string }) {
  const { t } = useTranslation()
  const svgRef = useRef<SVGSVGElement>(null)
  const [drag, setDrag] = useState<Drag | null>(null)
  const [preview, setPreview] = useState<Bubble | null>(null)

  function point(e: PointerEvent): Pt {
    const svg = svgRef.current
    const ctm = svg?.getScreenCTM()
    if (!svg || !ctm) return { x: 0, y: 0 }
    const p = new DOMPoint(e.clientX, e.clientY).matrixTransform(ctm.inverse())
    return { x: p.x, y: p.y }
  }

  function begin(e: PointerEvent, bubble: Bubble, mode: Mode) {
    if (e.button !== 0) return
    e.stopPropagation()
    e.preventDefault()
    select(panel.id, bubble.id)
    svgRef.current?.setPointerCapture(e.pointerId)
    setDrag({ mode, bubble, start: point(e), moved: false })
  }

  function move(e: PointerEvent) {
    if (!drag) return
    setPreview(dragged(drag, point(e), W, H))
    if (!drag.moved) setDrag({ ...drag, moved: true })
  }

  function end(e: PointerEvent) {
    if (!drag) return
    svgRef.current?.releasePointerCapture(e.pointerId)
    const result = dragged(drag, point(e), W, H)
    setDrag(null)
    setPreview(null)
    if (!drag.moved) return
    const { x, y, w, h, tailX, tailY } = result
    changeBubble(panel, drag.bubble.id, { x, y, w, h, tailX, tailY }, ACTION[drag.mode])
  }

  function nudge(e: KeyboardEvent, bubble: Bubble, part: 'body' | 'tail') {
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault()
      deleteBubble(panel, bubble.id)
      select(panel.id, null)
      return
    }
    if (e.key === 'Enter') {
      e.preventDefault()
      select(panel.id, bubble.id)
      document.getElementById('bubble-text')?.focus()
      return
    }
    const dir = ARROWS[e.key]
    if (!dir) return
    e.preventDefault()
    select(panel.id, bubble.id)
    const step = e.shiftKey ? 0.05 : 0.01
    const dx = dir.x * step
    const dy = dir.y * step
    if (part === 'tail') {
      changeBubble(panel, bubble.id, { tailX: clamp(bubble.tailX + dx, -0.5, 1.5), tailY: clamp(bubble.tailY + dy, -0.5, 1.5) }, 'tail', `tail:${bubble.id}`)
    } else if (e.altKey) {
      changeBubble(panel, bubble.id, { w: bubble.w + dx, h: bubble.h + dy }, 'resize', `resize:${bubble.id}`)
    } else {
      changeBubble(panel, bubble.id, { x: bubble.x + dx, y: bubble.y + dy, tailX: bubble.tailX + dx, tailY: bubble.tailY + dy }, 'move', `move:${bubble.id}`)
    }
  }

  const bubbles = panel.bubbles.map((b) => (preview && preview.id === b.id ? preview : b))
  const handle = Math.max(10, Math.min(W, H) * 0.022)

  return (
    <svg
      ref={svgRef}
      className={`panel-canvas${drag ? ' is-dragging' : ''}`}
      viewBox={`0 0 ${W} ${H}`}
      data-testid="panel-canvas"
      role="group"
      aria-label={label}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      onPointerDown={() => select(panel.id, null)}
    >
      <rect width={W} height={H} fill="#2a2433" />
      {panel.image ? (
        <image href={fileUrl(panel.image)} width={W} height={H} preserveAspectRatio="xMidYMid slice" />
      ) : (
        <foreignObject width={W} height={H}>
          {panel.status === 'failed' && panel.error ? (
            <div className="canvas-empty is-failed" data-testid="panel-failure">
              <Icon name="alert" size={32} />
              <p>{describeStoredError(t, panel.error)}</p>
            </div>
          ) : <div className="canvas-empty"><Icon name="image" size={40} /></div>}
        </foreignObject>
      )}
      <Lettering bubbles={bubbles} size={size} language={language} W={W} />
      {bubbles.map((b) => {
        const box = bubbleBox(b, W, H)
        const selected = b.id === selectedBubbleId
        const tip = { x: b.tailX * W, y: b.tailY * H }
        const text = b.text.trim() || t(`bubbleKinds.${b.kind}`)
        return (
          <g key={b.id} className={`bubble-handles${selected ? ' is-selected' : ''}`}>
            <rect
              className="bubble-hit"
              x={box.x}
              y={box.y}
              width={box.w}
              height={box.h}
              tabIndex={0}
              role="button"
              aria-pressed={selected}
              aria-label={t('editor.bubbleLabel', { kind: t(`bubbleKinds.${b.kind}`), text })}
              data-testid="bubble"
              data-bubble-id={b.id}
              onPointerDown={(e) => begin(e, b, 'move')}
              onFocus={() => { if (!selected) select(panel.id, b.id) }}
              onKeyDown={(e) => nudge(e, b, 'body')}
            />
            {selected && (
              <>
                <rect
                  className="bubble-resize"
                  x={box.x + box.w - handle / 2}
                  y={box.y + box.h - handle / 2}
                  width={handle}
                  height={handle}
                  rx={3}
                  data-testid="bubble-resize"
                  aria-hidden="true"
                  onPointerDown={(e) => begin(e, b, 'resize')}
                />
                {hasTail(b.kind) && (
                  <>
                    <line className="bubble-tail-guide" x1={box.x + box.w / 2} y1={box.y + box.h / 2} x2={tip.x} y2={tip.y} />
                    <circle
                      className="bubble-tail"
                      cx={tip.x}
                      cy={tip.y}
                      r={handle * 0.7}
                      tabIndex={0}
                      role="button"
                      aria-label={t('editor.tail')}
                      data-testid="bubble-tail"
                      onPointerDown={(e) => begin(e, b, 'tail')}
                      onKeyDown={(e) => nudge(e, b, 'tail')}
                    />
                  </>
                )}
              </>
            )}
          </g>
        )
      })}
    </svg>
  )
}
