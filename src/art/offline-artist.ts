import { KitsumyError, type EngineId, type ImageRequest } from '../contract/index.ts'
import { hashSeed, seededRandom, type Random } from '../platform/random.ts'
import { StylePainter } from '../styles/treatment.ts'
import type { GenerateOptions, ImageEngine, ImageResult } from './engine.ts'
import { Defs, drawBackdrop, drawWeather, type Stage } from './sketch-backdrop.ts'
import { drawBack, drawFigure, figureSpec, type Arms, type Mood, type Pose } from './sketch-figure.ts'
import { drawProp } from './sketch-props.ts'
import { readScene, type SceneInfo } from './sketch-scene.ts'
import { framingOf, headScaleOf, inFrame, standBack, standFront } from '../pages/framing.ts'
import { n, w2, Pen } from './sketch-svg.ts'

type Subject = ImageRequest['subject']['characters'][number]

const MOODS: Array<[Mood, RegExp]> = [
  ['open', /shocked|surprised|widening|gasps|stunned/],
  ['frown', /furious|angry|defeated|frustrated|triumphant|looming|cruel/],
  ['worried', /worried|uneasy|afraid|scared|nervous|panting|out of breath/],
  ['grin', /grinning|laugh|cheers|smiles|happy|grin|celebrat/],
  ['flat', /determined|firm|thinking|thought|narrowed|stares|examines|studies/],
]
const ARMS: Array<[Arms, RegExp]> = [
  ['run', /\b(runs?|running|leaps?|chase|escapes|hurries|springs?)\b/],
  ['point', /point|explains|shows|talks urgently/],
  ['up', /cheers|celebrat|holds? .* high|bursts in/],
  ['wave', /waves|greets|calls out/],
  ['hold', /offers|holds?|cup|grabs|photograph|map/],
  ['hips', /stands firm|triumphant|looming|stands guard/],
]

// The character the scene is about is the one named first; the rest stand by.
function subjectOf(scene: string, cast: readonly Subject[]): string | null {
  let best: { id: string; at: number } | null = null
  for (const c of cast) {
    const at = scene.indexOf(c.name)
    if (at >= 0 && (!best || at < best.at)) best = { id: c.id, at }
  }
  return best?.id ?? cast[0]?.id ?? null
}

function poseFor(c: Subject, subject: string | null, info: SceneInfo, rand: Random): Pose {
  const text = info.text
  if (c.id !== subject) {
    const mood: Mood = info.action ? 'worried' : /villain|defeated/.test(text) ? 'flat' : rand() < 0.5 ? 'smile' : 'flat'
    return { arms: info.action ? 'run' : rand() < 0.7 ? 'down' : 'hips', legs: info.action ? 'run' : 'stand', mood }
  }
  const mood = MOODS.find(([, re]) => re.test(text))?.[0] ?? (rand() < 0.6 ? 'smile' : 'flat')
  const arms = ARMS.find(([, re]) => re.test(text))?.[0] ?? (rand() < 0.6 ? 'down' : rand() < 0.5 ? 'hips' : 'hold')
  return { arms, legs: arms === 'run' ? 'run' : /walk|set off|away/.test(text) ? 'walk' : 'stand', mood }
}

// The stable part of a scene ("a narrow cobblestone street with old houses") so one place is drawn one way.
function placeKey(info: SceneInfo): string {
  const afterAction = info.text.includes('. ') ? info.text.slice(info.text.indexOf('. ') + 2) : info.text
  return `${info.kind}|${afterAction.split(',')[0]}`
}

function speedLines(w: number, h: number, rand: Random, ink: string): string {
  let d = ''
  const cx = w / 2
  const cy = h / 2
  for (let i = 0; i < 36; i++) {
    const a = (i / 36) * Math.PI * 2 + rand() * 0.08
    const r0 = Math.max(w, h) * (0.38 + rand() * 0.12)
    const r1 = Math.max(w, h) * 0.9
    d += `M${n(cx + Math.cos(a) * r0)} ${n(cy + Math.sin(a) * r0)}L${n(cx + Math.cos(a) * r1)} ${n(cy + Math.sin(a) * r1)}`
  }
  return `<path d="${d}" stroke="${ink}" stroke-width="${w2(Math.max(1, h / 300))}" opacity=".7" fill="none"/>`
}

// One panel as a self-contained SVG: backdrop from the scene, characters from their bible, framing from the shot.
export function drawPanel(request: ImageRequest): string {
  const { width: w, height: h } = request
  const { shot, scene, characters } = request.subject
  const info = readScene(scene)
  const prefix = `k${((hashSeed(`${request.styleId}|${scene}`) ^ request.seed) >>> 0).toString(36)}`
  const painter = new StylePainter(request.styleId, prefix, Math.min(w, h) / 512)
  const pen = new Pen(painter)
  const framing = framingOf(shot)
  const hz = h * framing.horizon
  const defs = new Defs(prefix)

  const cx = w / 2
  const pens: Pen[] = [pen]
  const scaledPen = (scale: number, tag: string): Pen => {
    const p = pen.at(scale, tag)
    pens.push(p)
    return p
  }
  const backPen = scaledPen(framing.zoom, 'z')
  const stage: Stage = { w, h, hz, pen: backPen, rand: seededRandom(hashSeed(placeKey(info))), info, defs }
  const backdrop = `<g transform="translate(${n(cx)} ${n(hz)}) scale(${framing.zoom}) translate(${n(-cx)} ${n(-hz)})" ${backPen.ink(0.55)}>${drawBackdrop(stage)}</g>`

  const rand = seededRandom(request.seed)
  const subject = subjectOf(scene, characters)
  // Right to left, the first character stands where reading starts, as the lettering expects (framing.ts).
  const { front, back } = inFrame(characters, shot, request.subject.readingOrder ?? 'ltr')
  const overShoulder = back !== null
  const headScale = headScaleOf(request.styleId)
  const specs = front.map(figureSpec)
  const stands = standFront(shot, w, h, specs.map((s) => s.height), headScale, rand())
  const figures: string[] = []

  front.forEach((c, i) => {
    const spec = specs[i]
    const { x, feet, s } = stands[i]
    const facing: 1 | -1 = front.length === 1 ? (overShoulder ? -1 : rand() < 0.5 ? 1 : -1) : x < w / 2 ? 1 : -1
    const pose = poseFor(c, subject, info, rand)
    const figPen = scaledPen(s, `f${i}`)
    const drawn = drawFigure(spec, pose, figPen, headScale, facing)
    const shadow = feet < h ? `<ellipse cx="${n(x)}" cy="${n(feet)}" rx="${n(s * 22)}" ry="${n(s * 4)}" fill="${painter.roles.ink}" opacity=".22"/>` : ''
    figures.push(`${shadow}<g class="ch" data-character="${c.id}" transform="translate(${n(x)} ${n(feet)}) scale(${w2(s * facing)} ${w2(s)})" ${figPen.ink()}>${drawn}</g>`)
  })
  if (back) {
    const c = back
    const spec = figureSpec(c)
    const { x, feet, s } = standBack(w, h)
    const backFig = scaledPen(s, 'b')
    figures.push(`<g class="ch back" data-character="${c.id}" transform="translate(${n(x)} ${n(feet)}) scale(${w2(s)})" ${backFig.ink()}>${drawBack(spec, backFig, headScale)}</g>`)
  }

  let middle = ''
  if (painter.t.speedLines && (info.action || shot === 'extreme-close-up')) middle += speedLines(w, h, rand, painter.roles.ink)
  if (characters.length === 0 && (shot === 'extreme-close-up' || shot === 'close-up')) {
    middle += `<g ${pen.ink()}>${drawProp(scene, pen, w / 2, h / 2, Math.min(w, h) * 0.6)}</g>`
  }

  const body = [
    `<rect width="${w}" height="${h}" fill="${painter.roles.paper}"/>`,
    backdrop,
    middle,
    ...figures,
    drawWeather(stage),
    painter.texture(w, h),
  ].join('')
  // Cover the frame it is placed in, as a photo would: a browser draws an SVG placed by <image> by the
  // picture's own preserveAspectRatio, and the default (meet) left bands where the panel's shape differs a little.
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" preserveAspectRatio="xMidYMid slice"><defs>${pens.map((p) => p.p.defs()).join('')}${defs}</defs>${body}</svg>`
}

// The engine that needs nothing: no keys, no network, no GPU. Its sketches are free and instant.
export class OfflineArtist implements ImageEngine {
  readonly id: EngineId = 'offline'

  async generate(request: ImageRequest, options: GenerateOptions): Promise<ImageResult> {
    if (options.signal.aborted) throw new KitsumyError('cancelled', 'Drawing the panel was cancelled.', { retryable: false })
    const svg = drawPanel(request)
    options.onProgress?.(1)
    return { bytes: new TextEncoder().encode(svg), mime: 'image/svg+xml', costUsd: 0, provider: 'offline' }
  }
}
