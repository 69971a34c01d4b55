// Only bubbles letter in Comic Relief: its faces load with the screens that draw them, not with the first.
import '@fontsource/comic-relief/400.css'
import '@fontsource/comic-relief/700.css'
import type { Bubble } from '../../src/contract/index.ts'
import { bubbleBox, fitFontSize, hasTail, shoutPath, tailPath, thoughtPuffs, type Box } from './bubbleGeometry.ts'

const INK = '#141118'
const PAPER = '#fffdf7'
const CAPTION = '#fff1b8'

function Outline({ bubble, box, W, H, stroke }: { bubble: Bubble; box: Box; W: number; H: number; stroke: number }) {
  const tip = { x: bubble.tailX * W, y: bubble.tailY * H }
  const tail = hasTail(bubble.kind) && bubble.kind !== 'thought' ? tailPath(box, tip) : null
  const rx = Math.min(box.w, box.h) * 0.48
  const paint = stroke > 0 ? { fill: INK, stroke: INK, strokeWidth: stroke * 2, strokeLinejoin: 'round' as const } : { fill: bubble.kind === 'caption' ? CAPTION : PAPER }
  switch (bubble.kind) {
    case 'caption':
      return <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={3} {...paint} />
    case 'shout':
      return <>{tail && <path d={tail} {...paint} />}<path d={shoutPath(box)} {...paint} /></>
    case 'thought':
      return (
        <>
          {thoughtPuffs(box, tip).map((p, i) => <circle key={i} cx={p.cx} cy={p.cy} r={p.r} {...paint} />)}
          <rect x={box.x} y={box.y} width={box.w} height={box.h} rx={rx} {...paint} />
        </>
      )
    case 'speech':
      return <>{tail && <path d={tail} {...paint} />}<rect x={box.x} y={box.y} width={box.w} height={box.h} rx={rx} {...paint} /></>
    case 'sfx':
      return null
  }
}

// One bubble drawn in the panel's pixel space: outline pass first, fill pass over it, then the words.
export function BubbleArt({ bubble, W, H }: { bubble: Bubble; W: number; H: number }) {
  const box = bubbleBox(bubble, W, H)
  const stroke = Math.max(1.5, Math.min(W, H) * 0.004)
  const size = fitFontSize(bubble.text, box, bubble.kind)
  const pad = bubble.kind === 'caption' ? size * 0.4 : Math.min(box.w, box.h) * 0.14
  return (
    <g className={`bubble-art bubble-${bubble.kind}`}>
      <Outline bubble={bubble} box={box} W={W} H={H} stroke={stroke} />
      <Outline bubble={bubble} box={box} W={W} H={H} stroke={0} />
      <foreignObject x={box.x + pad} y={box.y + pad / 2} width={Math.max(1, box.w - pad * 2)} height={Math.max(1, box.h - pad)}>
        <div className={`bubble-text bubble-text-${bubble.kind}`} style={{ fontSize: size }}>{bubble.text}</div>
      </foreignObject>
    </g>
  )
}
