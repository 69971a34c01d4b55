import type { Bubble, Language } from '../contract/index.ts'
import { hashSeed, seededRandom } from '../platform/random.ts'
import { circle, cloud, cloudCore, ellipse, shoutTail, speechTail, spiky, thoughtTrail, tipOutside, type Oval } from './balloons.ts'
import { fitBubbleText, type Lettered } from './letter-style.ts'
import { esc, n, type Point } from './svg.ts'
import type { Rect } from './trim.ts'

export { placeDefaultBubbles, defaultSpeakerSpots } from './placement.ts'
export type { LineToPlace, PlacedBubble, PlaceOptions, SpeakerSpot } from './placement.ts'

export interface LetteringContext {
  language: Language
  // Page scale against the US comic page (strokes and letters grow with the page).
  scale: number
}

const INK = '#141414'
const PAPER = '#ffffff'
const CAPTION_FILL = '#fff3c4'
const SFX_COLORS = ['#ffd23f', '#ff6b35', '#ffffff', '#7bdff2', '#f15bb5']

// Outline then fill, so a balloon and its tail read as one shape with one continuous border.
function inkAndPaper(shapes: string[], stroke: number, fill: string): string {
  const body = shapes.join('')
  return `<g fill="${INK}" stroke="${INK}" stroke-width="${n(stroke * 2)}" stroke-linejoin="round">${body}</g>` +
    `<g fill="${fill}">${body}</g>`
}

function textSvg(l: Lettered, cx: number, cy: number, extra = ''): string {
  const { face, block } = l
  const weight = face.weight === 700 ? ' font-weight="bold"' : ''
  const spans = block.lines.map((line, i) => `<tspan x="${n(cx)}" y="${n(cy + block.baselines[i])}">${esc(line)}</tspan>`).join('')
  return `<text font-family="${face.family}"${weight} font-size="${n(block.size)}" text-anchor="middle"${extra}>${spans}</text>`
}

function bubbleBox(bubble: Bubble, panel: Rect): Rect {
  return {
    x: panel.x + bubble.x * panel.width,
    y: panel.y + bubble.y * panel.height,
    width: bubble.w * panel.width,
    height: bubble.h * panel.height,
  }
}

function tailTip(bubble: Bubble, panel: Rect): Point {
  return { x: panel.x + bubble.tailX * panel.width, y: panel.y + bubble.tailY * panel.height }
}

// One balloon, caption or sound effect as SVG, in page units, with its text as real <text>.
export function renderBubble(bubble: Bubble, panel: Rect, ctx: LetteringContext): string {
  const box = bubbleBox(bubble, panel)
  const cx = box.x + box.width / 2
  const cy = box.y + box.height / 2
  const oval: Oval = { cx, cy, rx: box.width / 2, ry: box.height / 2 }
  const tip = tailTip(bubble, panel)
  const hasTail = tipOutside(oval, tip)
  const rand = seededRandom(hashSeed(bubble.id))
  const stroke = 1.05 * ctx.scale
  const lettered = fitBubbleText(bubble.kind, bubble.text, box.width, box.height, ctx.language, ctx.scale)
  const open = `<g data-bubble-id="${esc(bubble.id)}" data-kind="${bubble.kind}">`
  switch (bubble.kind) {
    case 'speech': {
      const shapes = [ellipse(oval)]
      if (hasTail) shapes.push(speechTail(oval, tip))
      return open + inkAndPaper(shapes, stroke, PAPER) + textSvg(lettered, cx, cy, ` fill="${INK}"`) + '</g>'
    }
    case 'thought': {
      const puffs = cloud(oval, rand).map(circle)
      const trail = hasTail ? thoughtTrail(oval, tip).map(circle) : []
      return open + inkAndPaper([ellipse(cloudCore(oval)), ...puffs], stroke, PAPER) +
        trail.map((c) => inkAndPaper([c], stroke, PAPER)).join('') +
        textSvg(lettered, cx, cy, ` fill="${INK}"`) + '</g>'
    }
    case 'shout': {
      const shapes = [spiky(oval, rand, 13 * ctx.scale)]
      if (hasTail) shapes.push(shoutTail(oval, tip))
      return open + inkAndPaper(shapes, stroke * 1.3, PAPER) + textSvg(lettered, cx, cy, ` fill="${INK}"`) + '</g>'
    }
    case 'caption': {
      const rect = `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}"/>`
      return open + inkAndPaper([rect], stroke * 0.8, CAPTION_FILL) + textSvg(lettered, cx, cy, ` fill="${INK}"`) + '</g>'
    }
    case 'sfx': {
      const angle = (rand() - 0.5) * 22
      const color = SFX_COLORS[Math.floor(rand() * SFX_COLORS.length)]
      const outline = lettered.block.size * 0.07
      return open + `<g transform="rotate(${n(angle)} ${n(cx)} ${n(cy)})">` +
        textSvg(lettered, cx, cy, ` fill="${color}" stroke="${INK}" stroke-width="${n(outline)}" stroke-linejoin="round"`) +
        '</g></g>'
    }
  }
}
