import type { Random } from '../platform/random.ts'
import { n, type Point } from './svg.ts'

// Balloon outlines as plain SVG elements without paint: the renderer draws them twice (a black pass
// widened by the stroke, then a white pass) so a balloon and its tail merge into one outline.
export interface Oval {
  cx: number
  cy: number
  rx: number
  ry: number
}

function onOval(o: Oval, angle: number, scale = 1): Point {
  return { x: o.cx + o.rx * scale * Math.cos(angle), y: o.cy + o.ry * scale * Math.sin(angle) }
}

// Angle on the oval (in its own stretched frame) that faces the point.
function angleTo(o: Oval, p: Point): number {
  return Math.atan2((p.y - o.cy) / o.ry, (p.x - o.cx) / o.rx)
}

// A tail is drawn only when its tip lies clearly outside the balloon.
// How far out `p` lies in the oval's own measure: 1 on its edge, 4 at twice its radii.
export function ovalReach(o: Oval, p: Point): number {
  return ((p.x - o.cx) / o.rx) ** 2 + ((p.y - o.cy) / o.ry) ** 2
}

// The point on the ray from the oval's centre through `p` (not the centre) that lies `reach` out.
export function alongRay(o: Oval, p: Point, reach: number): Point {
  const k = Math.sqrt(reach / ovalReach(o, p))
  return { x: o.cx + (p.x - o.cx) * k, y: o.cy + (p.y - o.cy) * k }
}

export function tipOutside(o: Oval, tip: Point): boolean {
  return ovalReach(o, tip) > 1.1
}

export function ellipse(o: Oval): string {
  return `<ellipse cx="${n(o.cx)}" cy="${n(o.cy)}" rx="${n(o.rx)}" ry="${n(o.ry)}"/>`
}

function basePoints(o: Oval, tip: Point, baseWidth: number): [Point, Point, Point] {
  const angle = angleTo(o, tip)
  const half = baseWidth / 2 / ((o.rx + o.ry) / 2)
  return [onOval(o, angle - half, 0.8), onOval(o, angle + half, 0.8), onOval(o, angle, 0.8)]
}

// A curved, tapering speech tail from the balloon towards the speaker.
export function speechTail(o: Oval, tip: Point): string {
  const baseWidth = Math.min(o.rx, o.ry) * 0.55
  const [b1, b2, mid] = basePoints(o, tip, baseWidth)
  const dx = tip.x - mid.x
  const dy = tip.y - mid.y
  const len = Math.hypot(dx, dy) || 1
  // Bend sideways, away from the balloon's centre line, like a hand-lettered tail.
  const side = tip.x >= o.cx ? 1 : -1
  const bend = len * 0.16 * side
  const px = (-dy / len) * bend
  const py = (dx / len) * bend
  const c1 = { x: (b1.x + tip.x) / 2 + px, y: (b1.y + tip.y) / 2 + py }
  const c2 = { x: (b2.x + tip.x) / 2 + px, y: (b2.y + tip.y) / 2 + py }
  return `<path d="M${n(b1.x)} ${n(b1.y)}Q${n(c1.x)} ${n(c1.y)} ${n(tip.x)} ${n(tip.y)}Q${n(c2.x)} ${n(c2.y)} ${n(b2.x)} ${n(b2.y)}Z"/>`
}

// A straight, sharp wedge for shouts.
export function shoutTail(o: Oval, tip: Point): string {
  const [b1, b2] = basePoints(o, tip, Math.min(o.rx, o.ry) * 0.5)
  return `<path d="M${n(b1.x)} ${n(b1.y)}L${n(tip.x)} ${n(tip.y)}L${n(b2.x)} ${n(b2.y)}Z"/>`
}

// A burst: spikes around the oval, their lengths jittered by the balloon's own seed.
export function spiky(o: Oval, rand: Random, spacing: number): string {
  const perimeter = Math.PI * (3 * (o.rx + o.ry) - Math.sqrt((3 * o.rx + o.ry) * (o.rx + 3 * o.ry)))
  const spikes = Math.max(12, Math.min(30, Math.round(perimeter / spacing)))
  const points: Point[] = []
  for (let i = 0; i < spikes * 2; i++) {
    const angle = (i * Math.PI) / spikes + (rand() - 0.5) * (Math.PI / spikes) * 0.5
    const scale = i % 2 === 0 ? 0.93 + rand() * 0.07 : 0.78 + rand() * 0.05
    points.push(onOval(o, angle, scale))
  }
  return `<path d="M${points.map((p) => `${n(p.x)} ${n(p.y)}`).join('L')}Z"/>`
}

export interface Circle {
  cx: number
  cy: number
  r: number
}

export function circle(c: Circle): string {
  return `<circle cx="${n(c.cx)}" cy="${n(c.cy)}" r="${n(c.r)}"/>`
}

// A thought cloud: puffs around an inner oval, reaching the balloon's box.
export function cloud(o: Oval, rand: Random): Circle[] {
  const puff = Math.min(o.rx, o.ry) * 0.36
  const inner = { cx: o.cx, cy: o.cy, rx: o.rx - puff, ry: o.ry - puff }
  const perimeter = Math.PI * (inner.rx + inner.ry)
  const count = Math.max(8, Math.min(18, Math.round(perimeter / (puff * 1.3))))
  const circles: Circle[] = []
  for (let i = 0; i < count; i++) {
    const angle = (i * 2 * Math.PI) / count + (rand() - 0.5) * 0.15
    const p = onOval(inner, angle)
    circles.push({ cx: p.x, cy: p.y, r: puff * (0.88 + rand() * 0.12) })
  }
  return circles
}

export function cloudCore(o: Oval): Oval {
  const puff = Math.min(o.rx, o.ry) * 0.36
  return { cx: o.cx, cy: o.cy, rx: o.rx - puff * 0.9, ry: o.ry - puff * 0.9 }
}

// Three shrinking bubbles leading from the cloud towards the thinker.
export function thoughtTrail(o: Oval, tip: Point): Circle[] {
  const edge = onOval(o, angleTo(o, tip), 0.95)
  const size = Math.min(o.rx, o.ry) * 0.2
  return [0.3, 0.62, 0.9].map((t, i) => ({
    cx: edge.x + (tip.x - edge.x) * t,
    cy: edge.y + (tip.y - edge.y) * t,
    r: size * (1 - i * 0.3),
  }))
}
