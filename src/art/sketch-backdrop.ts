import { intBetween, type Random } from '../platform/random.ts'
import { darken, lighten, mix } from '../styles/colour.ts'
import type { SceneInfo } from './sketch-scene.ts'
import { n, pts, w2, type Pen } from './sketch-svg.ts'

// The place behind the characters, drawn from the scene's kind, time and weather in the panel's style.
export interface Stage {
  w: number
  h: number
  // Where the ground meets the sky (or the floor meets the wall indoors).
  hz: number
  pen: Pen
  rand: Random
  info: SceneInfo
  defs: Defs
}

export class Defs {
  private readonly items = new Map<string, string>()
  readonly prefix: string

  constructor(prefix: string) {
    this.prefix = prefix
  }

  // Registers a definition once and returns its url(#…) reference.
  use(name: string, make: (id: string) => string): string {
    const id = `${this.prefix}${name}`
    if (!this.items.has(id)) this.items.set(id, make(id))
    return `url(#${id})`
  }

  toString(): string {
    return [...this.items.values()].join('')
  }
}

const BUILDINGS = ['#c9a27e', '#b5654a', '#d8cdb4', '#8f9bb0', '#a3b18a', '#e0c48c', '#c7857a']
const WOOD = '#8b5a3c'
const STONE = '#9a958c'
const GRASS = '#6f9d4c'
const WATER = '#3f7fb0'
const SAND = '#e2c88e'

function skyColours(s: Stage): [string, string] {
  const { info } = s
  const roles = s.pen.p.roles
  const overcast = info.rain || info.fog || info.snow
  const natural: [string, string] =
    info.time === 'night' ? ['#0f1630', '#34466e']
      : info.time === 'dusk' ? ['#5b5486', '#f2a66a']
        : info.time === 'dawn' ? ['#8d7fb0', '#f6c6a0']
          : overcast ? ['#8a96a3', '#c3cad1'] : ['#7fb6e0', '#d6e9f3']
  return [mix(natural[0], roles.sky, 0.3), mix(natural[1], roles.sky, 0.2)]
}

function gradientFill(s: Stage, name: string, top: string, bottom: string): string {
  const t = s.pen.p
  if (t.t.shade !== 'soft' && t.t.shade !== 'wash') return ''
  return s.defs.use(name, (id) => `<linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${t.tone(top)}"/><stop offset="1" stop-color="${t.tone(bottom)}"/></linearGradient>`)
}

// Sky from the top of the panel down to y; soft styles get a gradient, the rest flat bands like printed comics.
function sky(s: Stage, to = s.hz): string {
  const [top, bottom] = skyColours(s)
  const grad = gradientFill(s, 'sky', top, bottom)
  const p = s.pen.p
  if (grad) return `<rect width="${s.w}" height="${n(to + 2)}" fill="${grad}" stroke="none"/>`
  return `<rect width="${s.w}" height="${n(to + 2)}" fill="${p.fill(top)}" stroke="none"/><rect y="${n(to * 0.62)}" width="${s.w}" height="${n(to * 0.38 + 2)}" fill="${p.fill(mix(top, bottom, 0.6))}" stroke="none"/>`
}

function heavens(s: Stage): string {
  const { info, w, hz, pen } = s
  if (info.time === 'night' && !info.rain && !info.fog) {
    const stars = s.defs.use('stars', (id) => `<pattern id="${id}" width="97" height="61" patternUnits="userSpaceOnUse"><circle cx="11" cy="9" r="1.1" fill="#fff"/><circle cx="53" cy="27" r=".8" fill="#fff"/><circle cx="80" cy="6" r="1.3" fill="#fff"/><circle cx="31" cy="44" r=".7" fill="#fff"/><circle cx="71" cy="51" r="1" fill="#fff"/></pattern>`)
    return `<rect width="${w}" height="${n(hz)}" fill="${stars}" stroke="none" opacity=".8"/>` + pen.circle(w * 0.8, hz * 0.28, Math.min(w, hz) * 0.07, '#f4f0dc')
  }
  if (info.time !== 'night' && !info.rain && !info.fog && !info.snow) {
    const sun = info.time === 'day' ? '#fff3c4' : '#f7d08a'
    return pen.circle(w * 0.82, hz * (info.time === 'day' ? 0.25 : 0.7), Math.min(w, hz) * 0.08, sun, 'stroke="none" opacity=".9"')
  }
  return ''
}

function ground(s: Stage, colour: string): string {
  return s.pen.rect(-2, s.hz, s.w + 4, s.h - s.hz + 2, colour, 'stroke="none"')
}

function windowFill(s: Stage): string {
  const lit = s.info.time === 'night' || s.info.time === 'dusk'
  const glass = lit ? '#f3d27a' : '#a9c4da'
  const p = s.pen.p
  return s.defs.use(lit ? 'winL' : 'winD', (id) => `<pattern id="${id}" width="14" height="18" patternUnits="userSpaceOnUse"><rect x="3.5" y="4" width="7" height="9" fill="${p.tone(glass)}" stroke="${p.roles.ink}" stroke-width=".6"/></pattern>`)
}

function building(s: Stage, x: number, top: number, bw: number, base: number, colour: string, roof: 'flat' | 'gable' | 'dome'): string {
  const pen = s.pen
  let out = pen.rect(x, top, bw, base - top, colour)
  out += `<rect x="${n(x + bw * 0.08)}" y="${n(top + 6)}" width="${n(bw * 0.84)}" height="${n(Math.max(0, base - top - 14))}" fill="${windowFill(s)}" stroke="none"/>`
  if (roof === 'gable') out += pen.path(pts([[x - 3, top], [x + bw / 2, top - bw * 0.35], [x + bw + 3, top]]) + 'Z', '#8a3b2e')
  if (roof === 'dome') out += pen.path(`M${n(x + bw * 0.15)} ${n(top)}Q${n(x + bw * 0.1)} ${n(top - bw * 0.55)} ${n(x + bw / 2)} ${n(top - bw * 0.75)}Q${n(x + bw * 0.9)} ${n(top - bw * 0.55)} ${n(x + bw * 0.85)} ${n(top)}Z`, '#d4a52a')
  return out
}

function skyline(s: Stage, base: number, scale: number, withWindows: boolean): string {
  const { w, rand, pen } = s
  const [top] = skyColours(s)
  let far = ''
  for (let x = -10; x < w; x += w * (0.05 + rand() * 0.07)) {
    const bh = s.h * scale * (0.25 + rand() * 0.45)
    far += `<rect x="${n(x)}" y="${n(base - bh)}" width="${n(w * 0.09)}" height="${n(bh + 2)}" fill="${pen.p.fill(mix(top, '#39404c', 0.45))}" stroke="none"/>`
  }
  let near = ''
  if (withWindows) {
    const domes = /dome|church/.test(s.info.text)
    for (let x = -5, i = 0; x < w; i++) {
      const bw = w * (0.09 + rand() * 0.08)
      const bh = s.h * scale * (0.3 + rand() * 0.5)
      const roof = domes && i % 4 === 2 ? 'dome' : rand() < 0.4 ? 'gable' : 'flat'
      near += building(s, x, base - bh + s.h * 0.04, bw, base + 4, BUILDINGS[intBetween(rand, 0, BUILDINGS.length - 1)], roof)
      x += bw + w * 0.01
    }
  }
  return far + near
}

function lamp(s: Stage, x: number, foot: number, height: number): string {
  const pen = s.pen
  const glow = s.info.time === 'night' || s.info.time === 'dusk'
  return `<path d="M${n(x)} ${n(foot)}V${n(foot - height)}" fill="none" stroke="${pen.p.tone('#2e3238')}" stroke-width="${w2(Math.max(1.5, height * 0.04))}"/>`
    + pen.path(pts([[x - height * 0.08, foot - height], [x + height * 0.08, foot - height], [x + height * 0.05, foot - height * 1.12], [x - height * 0.05, foot - height * 1.12]]) + 'Z', glow ? '#f7d67a' : '#3a3e44')
    + (glow ? `<circle cx="${n(x)}" cy="${n(foot - height * 1.02)}" r="${n(height * 0.3)}" fill="${pen.p.tone('#f7d67a')}" opacity=".18" stroke="none"/>` : '')
}

function puddles(s: Stage, colour: string): string {
  if (!s.info.wet) return ''
  const { w, h, hz, rand, pen } = s
  let out = ''
  for (let i = 0; i < 3; i++) {
    const y = hz + (h - hz) * (0.35 + rand() * 0.55)
    out += pen.ellipse(w * (0.15 + rand() * 0.7), y, w * (0.05 + rand() * 0.06), (h - hz) * 0.04, lighten(colour, 0.35), 'stroke="none" opacity=".7"')
  }
  return out
}

function tram(s: Stage, x: number, base: number, len: number, ht: number): string {
  const pen = s.pen
  const body = '#c8322f'
  const band = '#e8c33a'
  let out = pen.rect(x, base - ht, len, ht * 0.86, body, `rx="${n(ht * 0.12)}"`)
  out += pen.rect(x, base - ht * 0.42, len, ht * 0.12, band, 'stroke="none"')
  const win = s.info.time === 'night' ? '#f3d27a' : '#b9d3e4'
  const count = Math.max(3, Math.round(len / (ht * 0.45)))
  for (let i = 0; i < count; i++) out += pen.rect(x + len * 0.06 + i * (len * 0.88 / count), base - ht * 0.88, len * 0.88 / count - ht * 0.06, ht * 0.32, win)
  out += pen.circle(x + len * 0.22, base - ht * 0.12, ht * 0.12, '#2e3238') + pen.circle(x + len * 0.78, base - ht * 0.12, ht * 0.12, '#2e3238')
  out += `<path d="M${n(x + len * 0.45)} ${n(base - ht)}l${n(ht * 0.3)} ${n(-ht * 0.35)}l${n(-ht * 0.25)} ${n(-ht * 0.2)}" fill="none" stroke="${pen.p.tone('#2e3238')}" stroke-width="${w2(ht * 0.03)}"/>`
  return out
}

function trees(s: Stage, count: number, base: number, size: number, colour: string): string {
  const { w, rand, pen } = s
  let out = ''
  for (let i = 0; i < count; i++) {
    const x = (w / count) * (i + 0.2 + rand() * 0.6)
    const sz = size * (0.75 + rand() * 0.5)
    out += pen.rect(x - sz * 0.07, base - sz * 0.9, sz * 0.14, sz * 0.9, WOOD)
    out += pen.circle(x, base - sz * 1.05, sz * 0.42, colour) + pen.circle(x - sz * 0.28, base - sz * 0.8, sz * 0.3, colour) + pen.circle(x + sz * 0.3, base - sz * 0.82, sz * 0.32, darken(colour, 0.08))
  }
  return out
}

function firs(s: Stage, count: number, base: number, size: number, colour: string): string {
  const { w, rand, pen } = s
  let out = ''
  for (let i = 0; i < count; i++) {
    const x = w * rand()
    const sz = size * (0.6 + rand() * 0.6)
    out += pen.path(pts([[x, base - sz], [x + sz * 0.32, base], [x - sz * 0.32, base]]) + 'Z', colour)
  }
  return out
}

function water(s: Stage, top: number, bottom: number): string {
  const { w, pen, rand } = s
  const colour = s.info.time === 'night' ? '#1f3550' : WATER
  let out = pen.rect(-2, top, w + 4, bottom - top + 2, colour, 'stroke="none"')
  const light = pen.p.tone(lighten(colour, 0.45))
  let d = ''
  for (let i = 0; i < 9; i++) {
    const y = top + (bottom - top) * (0.15 + rand() * 0.8)
    const x = w * rand()
    d += `M${n(x)} ${n(y)}h${n(w * (0.04 + rand() * 0.08))}`
  }
  out += `<path d="${d}" stroke="${light}" stroke-width="2" fill="none"/>`
  return out
}

// Indoors: a wall down to the floor line, a floor, and a window onto the weather outside.
function interior(s: Stage, wall: string, floor: string, windowAt: number | null): string {
  const { w, h, hz, pen } = s
  let out = pen.rect(-2, -2, w + 4, hz + 2, wall, 'stroke="none"') + pen.rect(-2, hz, w + 4, h - hz + 2, floor, 'stroke="none"')
  out += `<path d="M0 ${n(hz)}H${w}" stroke="${pen.p.roles.ink}" stroke-width="1.2" fill="none"/>`
  if (windowAt !== null) {
    const ww = w * 0.24
    const wh = hz * 0.55
    const x = w * windowAt
    const y = hz * 0.18
    const [top, bottom] = skyColours(s)
    out += pen.rect(x, y, ww, wh, mix(top, bottom, 0.5))
    if (s.info.rain) out += `<rect x="${n(x)}" y="${n(y)}" width="${n(ww)}" height="${n(wh)}" fill="${rainFill(s)}" stroke="none"/>`
    if (s.info.snow) out += `<rect x="${n(x)}" y="${n(y)}" width="${n(ww)}" height="${n(wh)}" fill="${snowFill(s)}" stroke="none"/>`
    if (s.info.time === 'night' && !s.info.rain) out += pen.circle(x + ww * 0.7, y + wh * 0.3, ww * 0.08, '#f4f0dc', 'stroke="none"')
    out += `<path d="M${n(x + ww / 2)} ${n(y)}V${n(y + wh)}M${n(x)} ${n(y + wh / 2)}H${n(x + ww)}" stroke="${pen.p.tone(WOOD)}" stroke-width="${w2(w * 0.008)}" fill="none"/>`
    out += pen.rect(x - 4, y + wh, ww + 8, 5, WOOD)
  }
  return out
}

function rainFill(s: Stage): string {
  const streak = s.pen.p.t.colour === 'full' ? '#d6e4ef' : s.pen.p.roles.paper
  return s.defs.use('rain', (id) => `<pattern id="${id}" width="46" height="70" patternUnits="userSpaceOnUse" patternTransform="rotate(14)"><path d="M6 2v16M28 30v18M17 50v14M39 10v13" stroke="${streak}" stroke-width="1.5" stroke-linecap="round"/></pattern>`)
}

function snowFill(s: Stage): string {
  return s.defs.use('snow', (id) => `<pattern id="${id}" width="53" height="47" patternUnits="userSpaceOnUse"><circle cx="8" cy="7" r="2.2" fill="#fff"/><circle cx="33" cy="20" r="1.6" fill="#fff"/><circle cx="19" cy="38" r="2.6" fill="#fff"/><circle cx="46" cy="41" r="1.4" fill="#fff"/></pattern>`)
}

function shelves(s: Stage, x: number, y: number, sw: number, sh: number): string {
  const p = s.pen.p
  const books = s.defs.use('books', (id) => `<pattern id="${id}" width="36" height="30" patternUnits="userSpaceOnUse"><rect x="1" y="6" width="5" height="24" fill="${p.tone('#7a1f33')}"/><rect x="6" y="3" width="6" height="27" fill="${p.tone('#2f5d3a')}"/><rect x="12" y="8" width="4" height="22" fill="${p.tone('#d9aa2b')}"/><rect x="16" y="4" width="7" height="26" fill="${p.tone('#263a66')}"/><rect x="23" y="9" width="5" height="21" fill="${p.tone('#a8462f')}"/><rect x="28" y="5" width="6" height="25" fill="${p.tone('#74406e')}"/><rect y="28" width="36" height="2" fill="${p.tone(WOOD)}"/></pattern>`)
  return s.pen.rect(x, y, sw, sh, darken(WOOD, 0.2)) + `<rect x="${n(x + 4)}" y="${n(y + 4)}" width="${n(sw - 8)}" height="${n(sh - 8)}" fill="${books}" stroke="none"/>`
}

function furniture(s: Stage): string {
  const { w, hz, pen, info } = s
  let out = ''
  if (/bookshel|books/.test(info.text)) out += shelves(s, w * 0.04, hz * 0.12, w * 0.2, hz * 0.88)
  if (/desk|table|files/.test(info.text)) {
    out += pen.rect(w * 0.58, hz - s.h * 0.02, w * 0.32, s.h * 0.05, WOOD) + pen.rect(w * 0.6, hz + s.h * 0.03, w * 0.02, s.h * 0.12, darken(WOOD, 0.2)) + pen.rect(w * 0.86, hz + s.h * 0.03, w * 0.02, s.h * 0.12, darken(WOOD, 0.2))
    if (/files|papers|case/.test(info.text)) out += pen.rect(w * 0.63, hz - s.h * 0.035, w * 0.08, s.h * 0.015, '#efe6c8')
  }
  if (/lamp/.test(info.text)) out += pen.line(pts([[w * 0.8, hz - s.h * 0.02], [w * 0.8, hz - s.h * 0.12]]), '#2e3238', 2) + pen.path(pts([[w * 0.76, hz - s.h * 0.12], [w * 0.84, hz - s.h * 0.12], [w * 0.82, hz - s.h * 0.18], [w * 0.78, hz - s.h * 0.18]]) + 'Z', '#2f5d3a') + `<path d="M${n(w * 0.76)} ${n(hz - s.h * 0.12)}L${n(w * 0.7)} ${n(hz - s.h * 0.02)}H${n(w * 0.9)}L${n(w * 0.84)} ${n(hz - s.h * 0.12)}Z" fill="${pen.p.tone('#f7e3a0')}" opacity=".35" stroke="none"/>`
  if (/stove|fireplace/.test(info.text)) out += pen.rect(w * 0.05, hz - s.h * 0.25, w * 0.16, s.h * 0.25, '#d8cdb4') + pen.path(`M${n(w * 0.09)} ${n(hz - 2)}Q${n(w * 0.13)} ${n(hz - s.h * 0.14)} ${n(w * 0.17)} ${n(hz - 2)}Z`, '#ea8a2c')
  if (/bed|bunk/.test(info.text)) out += pen.rect(w * 0.05, hz - s.h * 0.06, w * 0.3, s.h * 0.1, '#9fb8d8') + pen.rect(w * 0.05, hz - s.h * 0.1, w * 0.07, s.h * 0.05, '#f6f6f2')
  if (/towels|embroider/.test(info.text)) out += pen.rect(w * 0.3, hz * 0.2, w * 0.06, hz * 0.35, '#f6f6f2') + `<path d="M${n(w * 0.3)} ${n(hz * 0.5)}h${n(w * 0.06)}" stroke="${pen.p.tone('#c8322f')}" stroke-width="3"/>`
  return out
}

// Two ranges of snow-capped peaks standing on the line y.
function peaks(s: Stage, base: number): string {
  const { w, h, pen, rand } = s
  let out = ''
  for (let layer = 0; layer < 2; layer++) {
    const colour = layer === 0 ? '#8c9bb0' : '#5f6f7e'
    let d = `M-2 ${n(base + 2)}`
    let snow = ''
    for (let x = -w * 0.1; x < w * 1.1; x += w * (0.22 + rand() * 0.12)) {
      const peak = base - h * (layer === 0 ? 0.35 + rand() * 0.2 : 0.2 + rand() * 0.15)
      const half = w * 0.14
      d += `L${n(x)} ${n(peak)}L${n(x + half)} ${n(base + 2)}`
      snow += `M${n(x - half * 0.25)} ${n(peak + (base - peak) * 0.25)}L${n(x)} ${n(peak)}L${n(x + half * 0.25)} ${n(peak + (base - peak) * 0.25)}Z`
    }
    out += pen.path(`${d}L${w + 2} ${n(base + 2)}Z`, colour) + pen.path(snow, '#f4f6f8')
  }
  return out
}

const DRAW: Record<SceneInfo['kind'], (s: Stage) => string> = {
  city: (s) => {
    const river = /river|canal|sea|port/.test(s.info.text)
    const base = river ? s.h * 0.8 : s.hz + s.h * 0.12
    return sky(s, base) + heavens(s) + skyline(s, base, 0.55, true) + (river ? water(s, base, s.h) : s.pen.rect(-2, base, s.w + 4, s.h - base + 2, '#8d8d8d', 'stroke="none"'))
  },
  street: (s) => {
    const { w, h, hz, pen, rand } = s
    const vx = w * (0.42 + rand() * 0.16)
    const dark = /alley|dark/.test(s.info.text)
    const left = BUILDINGS[intBetween(rand, 0, 6)]
    const right = BUILDINGS[intBetween(rand, 0, 6)]
    let out = sky(s, hz) + heavens(s)
    out += ground(s, dark ? '#5a5a5e' : '#8d8d8d')
    out += pen.path(pts([[w * 0.12, h], [vx - w * 0.03, hz], [vx + w * 0.03, hz], [w * 0.88, h]]) + 'Z', dark ? '#4a4a50' : '#6e6e72')
    out += pen.path(pts([[-2, -2], [vx - w * 0.08, hz - h * 0.25], [vx - w * 0.08, hz + 2], [-2, h * 0.92]]) + 'Z', dark ? darken(left, 0.4) : left)
    out += pen.path(pts([[w + 2, -2], [vx + w * 0.08, hz - h * 0.25], [vx + w * 0.08, hz + 2], [w + 2, h * 0.92]]) + 'Z', dark ? darken(right, 0.4) : right)
    const win = windowFill(s)
    out += `<path d="M${n(w * 0.03)} ${n(h * 0.1)}L${n(vx - w * 0.1)} ${n(hz - h * 0.2)}V${n(hz - h * 0.04)}L${n(w * 0.03)} ${n(h * 0.62)}Z" fill="${win}" stroke="none"/>`
    out += `<path d="M${n(w * 0.97)} ${n(h * 0.1)}L${n(vx + w * 0.1)} ${n(hz - h * 0.2)}V${n(hz - h * 0.04)}L${n(w * 0.97)} ${n(h * 0.62)}Z" fill="${win}" stroke="none"/>`
    out += lamp(s, w * 0.2, h * 0.86, h * 0.4) + lamp(s, vx - w * 0.12, hz + h * 0.05, h * 0.15)
    if (dark) out += pen.rect(w * 0.72, h * 0.72, w * 0.1, h * 0.12, WOOD) + pen.rect(w * 0.76, h * 0.62, w * 0.08, h * 0.1, darken(WOOD, 0.15))
    return out + puddles(s, '#6e6e72')
  },
  tramStreet: (s) => {
    const { w, h, hz, pen } = s
    let out = DRAW.street(s)
    out += `<path d="M${n(w * 0.3)} ${n(h)}L${n(w * 0.48)} ${n(hz)}M${n(w * 0.45)} ${n(h)}L${n(w * 0.5)} ${n(hz)}M0 ${n(h * 0.12)}L${w} ${n(h * 0.08)}" stroke="${pen.p.tone('#2e3238')}" stroke-width="2" fill="none"/>`
    out += tram(s, w * 0.55, hz + h * 0.1, w * 0.42, h * 0.3)
    return out
  },
  rooftop: (s) => {
    const { w, h, hz, pen, rand } = s
    let out = sky(s, h) + heavens(s) + skyline(s, hz + h * 0.15, 0.25, true)
    const roofY = hz + h * 0.12
    out += pen.path(pts([[-2, roofY + h * 0.08], [w + 2, roofY - h * 0.04], [w + 2, h + 2], [-2, h + 2]]) + 'Z', '#8a3b2e')
    const tiles = s.defs.use('tiles', (id) => `<pattern id="${id}" width="22" height="12" patternUnits="userSpaceOnUse"><path d="M0 11Q5.5 4 11 11Q16.5 4 22 11" fill="none" stroke="${pen.p.roles.ink}" stroke-width=".8" opacity=".6"/></pattern>`)
    out += `<path d="${pts([[-2, roofY + h * 0.08], [w + 2, roofY - h * 0.04], [w + 2, h + 2], [-2, h + 2]])}Z" fill="${tiles}" stroke="none"/>`
    for (let i = 0; i < 3; i++) {
      const x = w * (0.1 + i * 0.33 + rand() * 0.1)
      const y = roofY + h * 0.06 - (x / w) * h * 0.12
      out += pen.rect(x, y - h * 0.16, w * 0.05, h * 0.16, '#b5654a') + pen.rect(x - w * 0.006, y - h * 0.17, w * 0.062, h * 0.02, '#6e4a3a')
    }
    out += `<path d="M${n(w * 0.6)} ${n(roofY)}V${n(roofY - h * 0.25)}M${n(w * 0.56)} ${n(roofY - h * 0.22)}H${n(w * 0.64)}M${n(w * 0.57)} ${n(roofY - h * 0.17)}H${n(w * 0.63)}" stroke="${pen.p.tone('#2e3238')}" stroke-width="2" fill="none"/>`
    return out
  },
  bridge: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + skyline(s, hz, 0.2, false) + water(s, hz, h)
    const deck = hz + h * 0.12
    out += pen.rect(-2, deck, w + 4, h * 0.07, STONE)
    for (let i = 0; i < 3; i++) {
      const x = w * (0.05 + i * 0.34)
      out += pen.path(`M${n(x)} ${n(h + 2)}V${n(deck + h * 0.07)}H${n(x + w * 0.3)}V${n(h + 2)}Q${n(x + w * 0.15)} ${n(deck + h * 0.15)} ${n(x)} ${n(h + 2)}Z`, STONE)
    }
    out += `<path d="M0 ${n(deck - h * 0.05)}H${w}" stroke="${pen.p.tone('#2e3238')}" stroke-width="2.5"/>`
    return out + lamp(s, w * 0.15, deck, h * 0.3) + lamp(s, w * 0.85, deck, h * 0.3)
  },
  market: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + skyline(s, hz, 0.35, true) + ground(s, '#b0a58e')
    const stripes = s.defs.use('awning', (id) => `<pattern id="${id}" width="16" height="10" patternUnits="userSpaceOnUse"><rect width="8" height="10" fill="${pen.p.tone('#c8322f')}"/><rect x="8" width="8" height="10" fill="${pen.p.tone('#f4f1ea')}"/></pattern>`)
    for (let i = 0; i < 3; i++) {
      const x = w * (0.05 + i * 0.33)
      const top = hz - h * 0.12
      out += pen.rect(x, hz + h * 0.02, w * 0.26, h * 0.09, WOOD)
      out += `<path d="${pts([[x - w * 0.01, top], [x + w * 0.27, top], [x + w * 0.25, top - h * 0.08], [x + w * 0.01, top - h * 0.08]])}Z" fill="${stripes}" stroke="${pen.p.roles.ink}" stroke-width="1"/>`
      out += `<path d="M${n(x)} ${n(top)}V${n(hz + h * 0.02)}M${n(x + w * 0.26)} ${n(top)}V${n(hz + h * 0.02)}" stroke="${pen.p.tone(WOOD)}" stroke-width="2"/>`
      for (let k = 0; k < 4; k++) out += pen.circle(x + w * (0.04 + k * 0.06), hz + h * 0.01, h * 0.018, ['#ea8a2c', '#8cc43f', '#c8322f', '#e8c33a'][k])
    }
    return out + puddles(s, '#b0a58e')
  },
  park: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + ground(s, GRASS)
    out += pen.path(`M${n(w * 0.35)} ${n(h)}Q${n(w * 0.5)} ${n(hz + h * 0.15)} ${n(w * 0.55)} ${n(hz)}H${n(w * 0.6)}Q${n(w * 0.6)} ${n(hz + h * 0.2)} ${n(w * 0.7)} ${n(h)}Z`, '#d8c8a0', 'stroke="none"')
    out += trees(s, 4, hz + h * 0.04, h * 0.35, '#4f7f3a')
    out += pen.rect(w * 0.12, hz + h * 0.12, w * 0.16, h * 0.025, WOOD) + pen.rect(w * 0.12, hz + h * 0.07, w * 0.16, h * 0.02, WOOD)
    return out + lamp(s, w * 0.78, hz + h * 0.2, h * 0.35) + puddles(s, GRASS)
  },
  tramInside: (s) => {
    const { w, h, hz, pen } = s
    const wall = '#d9c7a0'
    let out = interior(s, wall, '#6e5a44', null)
    const [top, bottom] = skyColours(s)
    for (let i = 0; i < 4; i++) {
      const x = w * (0.04 + i * 0.245)
      out += pen.rect(x, hz * 0.2, w * 0.2, hz * 0.45, mix(top, bottom, 0.5), `rx="${n(w * 0.015)}"`)
      if (s.info.rain) out += `<rect x="${n(x)}" y="${n(hz * 0.2)}" width="${n(w * 0.2)}" height="${n(hz * 0.45)}" fill="${rainFill(s)}" stroke="none"/>`
    }
    out += pen.rect(-2, hz * 0.78, w + 4, hz * 0.22, '#8b5a3c')
    out += `<path d="M0 ${n(hz * 0.08)}H${w}" stroke="${pen.p.tone('#b0b4ba')}" stroke-width="4"/>`
    for (let i = 0; i < 6; i++) out += `<path d="M${n(w * (0.08 + i * 0.17))} ${n(hz * 0.08)}v${n(h * 0.06)}" stroke="${pen.p.tone('#4a4a4a')}" stroke-width="1.5"/>` + `<circle cx="${n(w * (0.08 + i * 0.17))}" cy="${n(hz * 0.08 + h * 0.08)}" r="${n(h * 0.018)}" fill="none" stroke="${pen.p.tone('#4a4a4a')}" stroke-width="2"/>`
    out += `<path d="M${n(w * 0.3)} 0V${n(h)}M${n(w * 0.72)} 0V${n(h)}" stroke="${pen.p.tone('#e8c33a')}" stroke-width="${w2(w * 0.012)}"/>`
    return out
  },
  depot: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#9a8a78', '#5d5a55', null)
    const [top, bottom] = skyColours(s)
    for (let i = 0; i < 4; i++) {
      const x = w * (0.06 + i * 0.24)
      out += pen.path(`M${n(x)} ${n(hz * 0.75)}V${n(hz * 0.3)}Q${n(x + w * 0.08)} ${n(hz * 0.05)} ${n(x + w * 0.16)} ${n(hz * 0.3)}V${n(hz * 0.75)}Z`, mix(top, bottom, 0.6))
    }
    out += `<path d="M0 ${n(hz * 0.05)}L${n(w / 2)} ${n(-hz * 0.1)}L${w} ${n(hz * 0.05)}" stroke="${pen.p.tone('#3a3a3a')}" stroke-width="3" fill="none"/>`
    out += `<path d="M${n(w * 0.2)} ${n(h)}L${n(w * 0.42)} ${n(hz)}M${n(w * 0.38)} ${n(h)}L${n(w * 0.46)} ${n(hz)}M${n(w * 0.62)} ${n(h)}L${n(w * 0.54)} ${n(hz)}M${n(w * 0.8)} ${n(h)}L${n(w * 0.58)} ${n(hz)}" stroke="${pen.p.tone('#2e3238')}" stroke-width="2"/>`
    return out + tram(s, w * 0.05, hz + h * 0.06, w * 0.38, h * 0.28)
  },
  metro: (s) => {
    const { w, h, hz, pen } = s
    const tiles = s.defs.use('wtiles', (id) => `<pattern id="${id}" width="18" height="10" patternUnits="userSpaceOnUse"><rect width="18" height="10" fill="${pen.p.tone('#dfe6e2')}"/><path d="M0 .5H18M.5 0V10" stroke="${pen.p.tone('#9aa5a0')}" stroke-width="1"/></pattern>`)
    let out = `<rect width="${w}" height="${n(hz)}" fill="${tiles}"/>` + pen.rect(-2, hz, w + 4, h - hz, '#7d7a72', 'stroke="none"')
    out += pen.rect(-2, hz - 2, w + 4, h * 0.02, '#e8c33a', 'stroke="none"')
    out += pen.rect(w * 0.1, hz * 0.3, w * 0.8, hz * 0.62, '#4a6d9c', `rx="${n(h * 0.04)}"`)
    for (let i = 0; i < 5; i++) out += pen.rect(w * (0.14 + i * 0.15), hz * 0.38, w * 0.11, hz * 0.25, s.info.time === 'night' ? '#f3d27a' : '#cfe0ea')
    return out + pen.rect(w * 0.1, hz * 0.78, w * 0.8, hz * 0.05, '#e8c33a', 'stroke="none"')
  },
  room: (s) => {
    const wood = /hut|cabin|barn|wooden/.test(s.info.text)
    const wall = wood ? '#b58a5e' : /spaceship|station/.test(s.info.text) ? '#c8ccd2' : /tent/.test(s.info.text) ? '#d8c39a' : '#e6d5b8'
    return interior(s, wall, wood ? '#7a5a3a' : '#9a7452', 0.38) + furniture(s)
  },
  cafe: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#e9d9bf', '#8a6a4a', 0.08)
    out += pen.rect(w * 0.55, hz - h * 0.18, w * 0.42, h * 0.18, WOOD) + pen.rect(w * 0.62, hz - h * 0.3, w * 0.08, h * 0.12, '#b0b4ba')
    for (let i = 0; i < 3; i++) {
      const x = w * (0.3 + i * 0.25)
      out += `<path d="M${n(x)} 0V${n(hz * 0.22)}" stroke="${pen.p.tone('#3a3a3a')}" stroke-width="1.5"/>` + pen.path(`M${n(x - w * 0.04)} ${n(hz * 0.3)}Q${n(x)} ${n(hz * 0.16)} ${n(x + w * 0.04)} ${n(hz * 0.3)}Z`, '#d9aa2b')
    }
    for (const x of [0.25, 0.72]) {
      out += pen.ellipse(w * x, hz + h * 0.1, w * 0.09, h * 0.025, '#f4f1ea') + pen.rect(w * x - 2, hz + h * 0.12, 4, h * 0.14, '#3a3a3a')
      out += pen.rect(w * x - w * 0.02, hz + h * 0.06, w * 0.025, h * 0.035, '#f6f6f2')
    }
    return out
  },
  library: (s) => {
    const { w, hz } = s
    return interior(s, '#c9b08a', '#7a5a3a', null) + shelves(s, w * 0.02, hz * 0.05, w * 0.3, hz * 0.95) + shelves(s, w * 0.35, hz * 0.05, w * 0.3, hz * 0.95) + shelves(s, w * 0.68, hz * 0.05, w * 0.3, hz * 0.95)
  },
  museum: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#d9d2c6', '#a89a86', null)
    const art = ['#3f74c4', '#c8322f', '#4c9a4c']
    for (let i = 0; i < 3; i++) {
      const x = w * (0.08 + i * 0.32)
      out += pen.rect(x, hz * 0.2, w * 0.2, hz * 0.42, '#d4a52a') + pen.rect(x + w * 0.015, hz * 0.2 + w * 0.015, w * 0.17, hz * 0.42 - w * 0.03, art[i])
      out += pen.circle(x + w * 0.1, hz * 0.35, hz * 0.06, '#f3d27a', 'stroke="none"')
    }
    return out + pen.rect(w * 0.38, hz + h * 0.02, w * 0.24, h * 0.14, '#cfe3ea', 'opacity=".8"') + `<path d="M${n(w * 0.05)} ${n(hz + h * 0.12)}Q${n(w * 0.2)} ${n(hz + h * 0.18)} ${n(w * 0.35)} ${n(hz + h * 0.12)}" stroke="${pen.p.tone('#b5203a')}" stroke-width="3" fill="none"/>`
  },
  lab: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#c8ccd2', '#7d828a', null)
    for (let i = 0; i < 3; i++) out += pen.rect(w * (0.08 + i * 0.3), hz * 0.15, w * 0.22, hz * 0.35, '#1e2a38') + `<path d="M${n(w * (0.1 + i * 0.3))} ${n(hz * 0.4)}l${n(w * 0.05)} ${n(-hz * 0.1)}l${n(w * 0.05)} ${n(hz * 0.06)}l${n(w * 0.06)} ${n(-hz * 0.14)}" stroke="${pen.p.tone('#8cc43f')}" stroke-width="2" fill="none"/>`
    out += pen.rect(-2, hz - h * 0.1, w + 4, h * 0.1, '#9aa0a8')
    for (let i = 0; i < 4; i++) out += pen.circle(w * (0.15 + i * 0.2), hz - h * 0.14, h * 0.035, ['#8cc43f', '#7fb7e6', '#e88aa6', '#e8c33a'][i]) + pen.rect(w * (0.15 + i * 0.2) - h * 0.01, hz - h * 0.21, h * 0.02, h * 0.05, '#cfe3ea')
    return out
  },
  hall: (s) => {
    const { w, h, hz, pen } = s
    const dungeon = /dungeon|chains/.test(s.info.text)
    const blocks = s.defs.use('stone', (id) => `<pattern id="${id}" width="40" height="20" patternUnits="userSpaceOnUse"><rect width="40" height="20" fill="${pen.p.tone(dungeon ? '#5a5650' : '#a39b8e')}"/><path d="M0 .5H40M0 10.5H40M.5 0V10M20.5 10V20" stroke="${pen.p.roles.ink}" stroke-width=".8" opacity=".55"/></pattern>`)
    let out = `<rect width="${w}" height="${n(hz)}" fill="${blocks}"/>` + pen.rect(-2, hz, w + 4, h - hz, dungeon ? '#3a3834' : '#7a7266', 'stroke="none"')
    for (let i = 0; i < 2; i++) {
      const x = w * (0.2 + i * 0.45)
      out += pen.path(`M${n(x)} ${n(hz * 0.15)}h${n(w * 0.1)}v${n(hz * 0.45)}l${n(-w * 0.05)} ${n(-hz * 0.08)}l${n(-w * 0.05)} ${n(hz * 0.08)}Z`, dungeon ? '#45464b' : '#b5203a')
    }
    for (const x of [0.1, 0.9]) out += pen.rect(w * x - 2, hz * 0.4, 4, hz * 0.18, WOOD) + pen.path(`M${n(w * x - w * 0.015)} ${n(hz * 0.4)}Q${n(w * x)} ${n(hz * 0.25)} ${n(w * x + w * 0.015)} ${n(hz * 0.4)}Z`, '#ea8a2c')
    return out
  },
  clocktower: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#6e5a48', '#4a3a2e', null)
    const cx = w * 0.5
    const cy = hz * 0.45
    const r = Math.min(w, hz) * 0.38
    const [top, bottom] = skyColours(s)
    out += pen.circle(cx, cy, r, mix(top, bottom, 0.5)) + `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r * 0.9)}" fill="none" stroke="${pen.p.roles.ink}" stroke-width="${w2(r * 0.05)}" stroke-dasharray="${w2(r * 0.06)} ${w2(r * 0.41)}"/>`
    out += `<path d="M${n(cx)} ${n(cy)}L${n(cx)} ${n(cy - r * 0.7)}M${n(cx)} ${n(cy)}L${n(cx + r * 0.45)} ${n(cy + r * 0.2)}" stroke="${pen.p.roles.ink}" stroke-width="${w2(r * 0.05)}"/>`
    for (const [x, y, gr] of [[0.12, 0.75, 0.16], [0.88, 0.3, 0.2], [0.85, 0.85, 0.1]] as const) out += `<circle cx="${n(w * x)}" cy="${n(h * y)}" r="${n(h * gr)}" fill="none" stroke="${pen.p.tone('#b87333')}" stroke-width="${w2(h * 0.03)}" stroke-dasharray="${w2(h * 0.025)} ${w2(h * 0.02)}"/>` + pen.circle(w * x, h * y, h * gr * 0.8, '#b87333')
    return out
  },
  barn: (s) => {
    const { w, h, hz, pen } = s
    const planks = s.defs.use('planks', (id) => `<pattern id="${id}" width="24" height="40" patternUnits="userSpaceOnUse"><rect width="24" height="40" fill="${pen.p.tone('#9a6a44')}"/><path d="M.5 0V40" stroke="${pen.p.roles.ink}" stroke-width="1" opacity=".5"/></pattern>`)
    let out = `<rect width="${w}" height="${n(hz)}" fill="${planks}"/>` + pen.rect(-2, hz, w + 4, h - hz, '#c9a45a', 'stroke="none"')
    out += pen.rect(w * 0.55, hz - h * 0.14, w * 0.22, h * 0.16, '#e0c060', `rx="${n(h * 0.03)}"`) + pen.rect(w * 0.7, hz - h * 0.26, w * 0.2, h * 0.14, '#d9b552', `rx="${n(h * 0.03)}"`)
    return out + `<path d="M0 ${n(hz * 0.12)}H${w}" stroke="${pen.p.tone(darken(WOOD, 0.3))}" stroke-width="${w2(h * 0.03)}"/>` + pen.circle(w * 0.2, hz * 0.3, h * 0.03, '#f7d67a')
  },
  cave: (s) => {
    const { w, h, hz, pen } = s
    const [top, bottom] = skyColours(s)
    let out = pen.rect(-2, -2, w + 4, h + 4, '#3a3834', 'stroke="none"')
    out += pen.path(`M${n(w * 0.25)} ${n(hz + h * 0.05)}Q${n(w * 0.3)} ${n(hz * 0.2)} ${n(w * 0.55)} ${n(hz * 0.25)}Q${n(w * 0.8)} ${n(hz * 0.3)} ${n(w * 0.78)} ${n(hz + h * 0.05)}Z`, mix(top, bottom, 0.6))
    out += pen.rect(-2, hz + h * 0.05, w + 4, h, '#55524b', 'stroke="none"')
    let d = ''
    for (let i = 0; i < 7; i++) { const x = w * (i + 0.5) / 7; d += `M${n(x - w * 0.03)} 0L${n(x)} ${n(h * (0.08 + (i % 3) * 0.05))}L${n(x + w * 0.03)} 0Z` }
    return out + pen.path(d, '#4a4741')
  },
  forest: (s) => {
    const { w, h, hz, pen, rand } = s
    const oak = /\boak\b/.test(s.info.text)
    let out = sky(s) + heavens(s) + pen.rect(-2, hz - h * 0.12, w + 4, h * 0.14, '#3e6a3a', 'stroke="none"') + ground(s, '#5d8a3e')
    out += trees(s, 5, hz + h * 0.02, h * 0.4, '#3f7a3a')
    if (oak) out += pen.rect(w * 0.4, hz - h * 0.4, w * 0.2, h * 0.48, '#6b4a30') + pen.circle(w * 0.5, hz - h * 0.55, h * 0.35, '#3a6e32') + pen.circle(w * 0.3, hz - h * 0.45, h * 0.22, '#447a38') + pen.circle(w * 0.7, hz - h * 0.45, h * 0.24, '#447a38')
    if (/path/.test(s.info.text)) out += pen.path(`M${n(w * 0.3)} ${n(h)}Q${n(w * 0.5)} ${n(hz + h * 0.1)} ${n(w * 0.48)} ${n(hz)}H${n(w * 0.53)}Q${n(w * 0.6)} ${n(hz + h * 0.15)} ${n(w * 0.75)} ${n(h)}Z`, '#b59a6a', 'stroke="none"')
    let ferns = ''
    for (let i = 0; i < 6; i++) { const x = w * rand(); const y = h * (0.85 + rand() * 0.12); ferns += `M${n(x)} ${n(y)}q${n(-w * 0.03)} ${n(-h * 0.08)} ${n(-w * 0.05)} ${n(-h * 0.06)}M${n(x)} ${n(y)}q${n(w * 0.03)} ${n(-h * 0.08)} ${n(w * 0.05)} ${n(-h * 0.06)}` }
    return out + `<path d="${ferns}" stroke="${pen.p.tone('#2f5d2a')}" stroke-width="3" fill="none"/>`
  },
  river: (s) => {
    const { h, hz } = s
    return DRAW.forest(s) + water(s, hz + h * 0.1, hz + h * 0.3)
  },
  mountains: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + peaks(s, hz)
    out += ground(s, /meadow/.test(s.info.text) ? GRASS : '#7d8a6a')
    out += firs(s, 6, hz + h * 0.08, h * 0.18, '#2f5d3a')
    if (/peak|clouds/.test(s.info.text)) out += pen.ellipse(w * 0.25, hz + h * 0.05, w * 0.2, h * 0.05, '#f4f6f8', 'stroke="none" opacity=".85"') + pen.ellipse(w * 0.75, hz + h * 0.08, w * 0.22, h * 0.05, '#f4f6f8', 'stroke="none" opacity=".85"')
    return out
  },
  desert: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s)
    out += pen.path(`M-2 ${n(hz)}Q${n(w * 0.3)} ${n(hz - h * 0.08)} ${n(w * 0.6)} ${n(hz)}T${w + 2} ${n(hz - h * 0.02)}V${n(h)}H-2Z`, '#e9cf95')
    out += pen.path(`M-2 ${n(hz + h * 0.12)}Q${n(w * 0.4)} ${n(hz + h * 0.02)} ${n(w * 0.8)} ${n(hz + h * 0.15)}T${w + 2} ${n(hz + h * 0.12)}V${n(h)}H-2Z`, SAND)
    if (/ruins|columns/.test(s.info.text)) for (const x of [0.15, 0.27, 0.7]) out += pen.rect(w * x, hz - h * 0.25, w * 0.05, h * 0.32, '#d8c8a0') + pen.rect(w * x - w * 0.01, hz - h * 0.27, w * 0.07, h * 0.03, '#d8c8a0')
    if (/oasis|palm/.test(s.info.text)) out += water(s, hz + h * 0.04, hz + h * 0.1) + pen.line(`M${n(w * 0.8)} ${n(hz + h * 0.05)}Q${n(w * 0.78)} ${n(hz - h * 0.15)} ${n(w * 0.82)} ${n(hz - h * 0.3)}`, '#8b5a3c', 5) + pen.path(`M${n(w * 0.82)} ${n(hz - h * 0.3)}q${n(-w * 0.1)} ${n(-h * 0.02)} ${n(-w * 0.12)} ${n(h * 0.08)}q${n(w * 0.06)} ${n(-h * 0.1)} ${n(w * 0.12)} ${n(-h * 0.08)}q${n(w * 0.08)} ${n(-h * 0.02)} ${n(w * 0.12)} ${n(h * 0.08)}q${n(-w * 0.05)} ${n(-h * 0.09)} ${n(-w * 0.12)} ${n(-h * 0.08)}Z`, '#4c8a3a')
    return out
  },
  village: (s) => {
    const { w, h, hz, pen, rand } = s
    let out = sky(s) + heavens(s) + ground(s, GRASS)
    out += pen.path(`M-2 ${n(hz + h * 0.06)}L${w + 2} ${n(hz + h * 0.02)}V${n(hz + h * 0.14)}H-2Z`, '#e0c060', 'stroke="none"')
    for (let i = 0; i < 3; i++) {
      const x = w * (0.08 + i * 0.22 + rand() * 0.05)
      const hw = w * 0.13
      out += pen.rect(x, hz - h * 0.12, hw, h * 0.14, '#f4f1ea') + pen.path(pts([[x - hw * 0.1, hz - h * 0.12], [x + hw / 2, hz - h * 0.24], [x + hw * 1.1, hz - h * 0.12]]) + 'Z', '#b08a4a') + pen.rect(x + hw * 0.35, hz - h * 0.08, hw * 0.25, h * 0.06, s.info.time === 'night' ? '#f3d27a' : '#a9c4da')
    }
    if (/windmill/.test(s.info.text)) {
      const x = w * 0.82
      const y = hz - h * 0.25
      out += pen.path(pts([[x - w * 0.04, hz], [x - w * 0.025, y], [x + w * 0.025, y], [x + w * 0.04, hz]]) + 'Z', '#d8cdb4')
      out += `<path d="M${n(x - h * 0.18)} ${n(y - h * 0.18)}L${n(x + h * 0.18)} ${n(y + h * 0.18)}M${n(x + h * 0.18)} ${n(y - h * 0.18)}L${n(x - h * 0.18)} ${n(y + h * 0.18)}" stroke="${pen.p.tone(WOOD)}" stroke-width="${w2(h * 0.025)}"/>`
    }
    if (/sunflower/.test(s.info.text)) for (let i = 0; i < 6; i++) out += pen.circle(w * (0.05 + i * 0.17), hz + h * 0.2, h * 0.03, '#e8c33a')
    if (/pond|willow/.test(s.info.text)) out += water(s, hz + h * 0.12, hz + h * 0.22)
    return out + `<path d="M0 ${n(hz + h * 0.3)}H${w}M0 ${n(hz + h * 0.36)}H${w}" stroke="${pen.p.tone(WOOD)}" stroke-width="2"/>`
  },
  sea: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + water(s, hz, hz + h * 0.25)
    out += pen.path(`M-2 ${n(hz + h * 0.22)}Q${n(w * 0.5)} ${n(hz + h * 0.18)} ${w + 2} ${n(hz + h * 0.26)}V${n(h + 2)}H-2Z`, SAND)
    return out + `<path d="M${n(w * 0.2)} ${n(hz * 0.4)}q5 -5 10 0q5 -5 10 0M${n(w * 0.35)} ${n(hz * 0.3)}q4 -4 8 0q4 -4 8 0" stroke="${pen.p.roles.ink}" stroke-width="1.5" fill="none"/>`
  },
  harbour: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + water(s, hz, h)
    out += pen.path(pts([[-2, h * 0.8], [w * 0.6, hz + h * 0.1], [w * 0.7, hz + h * 0.12], [w * 0.2, h + 2], [-2, h + 2]]) + 'Z', WOOD)
    for (const [x, sz] of [[0.72, 0.2], [0.88, 0.14]] as const) {
      const bx = w * x
      const by = hz + h * 0.08
      out += pen.path(`M${n(bx - h * sz)} ${n(by)}H${n(bx + h * sz)}L${n(bx + h * sz * 0.7)} ${n(by + h * sz * 0.35)}H${n(bx - h * sz * 0.7)}Z`, '#f4f1ea')
      out += `<path d="M${n(bx)} ${n(by)}V${n(by - h * sz * 1.6)}" stroke="${pen.p.tone(WOOD)}" stroke-width="2"/>` + pen.path(pts([[bx + 2, by - h * sz * 1.5], [bx + h * sz * 0.8, by - h * sz * 0.2], [bx + 2, by - h * sz * 0.2]]) + 'Z', '#f4f1ea')
    }
    return out + `<path d="M${n(w * 0.1)} ${n(hz)}V${n(hz - h * 0.35)}L${n(w * 0.3)} ${n(hz - h * 0.33)}" stroke="${pen.p.tone('#d9aa2b')}" stroke-width="${w2(h * 0.015)}" fill="none"/>`
  },
  lighthouse: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + water(s, hz, h)
    out += pen.path(`M${n(w * 0.45)} ${n(h + 2)}Q${n(w * 0.55)} ${n(hz - h * 0.02)} ${n(w * 0.75)} ${n(hz + h * 0.02)}Q${n(w * 0.95)} ${n(hz)} ${w + 2} ${n(hz + h * 0.1)}V${n(h + 2)}Z`, '#6e6a62')
    const x = w * 0.72
    const top = hz - h * 0.55
    out += pen.path(pts([[x - w * 0.05, hz + h * 0.02], [x - w * 0.03, top], [x + w * 0.03, top], [x + w * 0.05, hz + h * 0.02]]) + 'Z', '#f4f1ea')
    for (let i = 0; i < 3; i++) { const y = top + (hz - top) * (0.15 + i * 0.3); out += pen.rect(x - w * 0.045 + i * w * 0.005, y, w * 0.09 - i * w * 0.01, (hz - top) * 0.12, '#c8322f', 'stroke="none"') }
    out += pen.rect(x - w * 0.04, top - h * 0.08, w * 0.08, h * 0.08, '#f3d27a') + pen.path(pts([[x - w * 0.05, top - h * 0.08], [x, top - h * 0.14], [x + w * 0.05, top - h * 0.08]]) + 'Z', '#2e3238')
    if (s.info.time === 'night' || s.info.time === 'dusk') out += `<path d="M${n(x)} ${n(top - h * 0.04)}L${n(w * 0.05)} ${n(top - h * 0.14)}V${n(top + h * 0.04)}Z" fill="${pen.p.tone('#fff6c8')}" opacity=".22" stroke="none"/>`
    return out
  },
  deck: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + water(s, hz - h * 0.05, hz + h * 0.1)
    out += pen.path(pts([[-2, hz + h * 0.08], [w + 2, hz + h * 0.08], [w + 2, h + 2], [-2, h + 2]]) + 'Z', '#a8794e')
    let planks = ''
    for (let i = 1; i < 8; i++) planks += `M${n(w * 0.5 + (i - 4) * w * 0.05)} ${n(hz + h * 0.08)}L${n(w * 0.5 + (i - 4) * w * 0.22)} ${n(h)}`
    out += `<path d="${planks}" stroke="${pen.p.roles.ink}" stroke-width="1" opacity=".5"/>`
    out += `<path d="M0 ${n(hz + h * 0.02)}H${w}M0 ${n(hz + h * 0.08)}H${w}" stroke="${pen.p.tone(WOOD)}" stroke-width="3"/>`
    out += pen.rect(w * 0.78, -2, w * 0.03, hz + h * 0.1, WOOD) + pen.path(pts([[w * 0.81, h * 0.05], [w * 0.98, h * 0.15], [w * 0.81, hz - h * 0.05]]) + 'Z', '#f4f1ea')
    return out + `<path d="M${n(w * 0.795)} ${n(h * 0.05)}L${n(w * 0.2)} ${n(hz + h * 0.02)}" stroke="${pen.p.tone('#5a4a3a')}" stroke-width="1.5"/>`
  },
  castle: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s) + heavens(s) + ground(s, '#6f8f4c')
    out += pen.path(`M-2 ${n(hz + h * 0.05)}Q${n(w * 0.5)} ${n(hz - h * 0.15)} ${w + 2} ${n(hz + h * 0.05)}V${n(h)}H-2Z`, '#7a9a54')
    const base = hz - h * 0.06
    out += pen.rect(w * 0.3, base - h * 0.22, w * 0.4, h * 0.22, STONE)
    for (const x of [0.25, 0.45, 0.7]) {
      out += pen.rect(w * x, base - h * 0.38, w * 0.08, h * 0.38, STONE) + pen.path(pts([[w * x - w * 0.01, base - h * 0.38], [w * x + w * 0.04, base - h * 0.52], [w * x + w * 0.09, base - h * 0.38]]) + 'Z', '#5a4a7a')
      out += pen.rect(w * x + w * 0.03, base - h * 0.3, w * 0.02, h * 0.05, '#2e2a26')
    }
    let d = ''
    for (let x = w * 0.3; x < w * 0.7; x += w * 0.04) d += `M${n(x)} ${n(base - h * 0.22)}v${n(-h * 0.03)}h${n(w * 0.02)}v${n(h * 0.03)}`
    return out + pen.path(d, STONE) + pen.path(`M${n(w * 0.46)} ${n(base)}V${n(base - h * 0.1)}Q${n(w * 0.5)} ${n(base - h * 0.14)} ${n(w * 0.54)} ${n(base - h * 0.1)}V${n(base)}Z`, '#3a2a22')
  },
  towerTop: (s) => {
    const { w, h, hz, pen } = s
    let out = sky(s, h) + heavens(s) + peaks(s, hz + h * 0.1)
    out += pen.rect(-2, h * 0.78, w + 4, h * 0.24, STONE)
    let d = ''
    for (let x = 0; x < w; x += w * 0.14) d += `M${n(x)} ${n(h * 0.78)}v${n(-h * 0.1)}h${n(w * 0.08)}v${n(h * 0.1)}Z`
    return out + pen.path(d, STONE)
  },
  space: (s) => {
    const { w, h, pen } = s
    const stars = s.defs.use('stars', (id) => `<pattern id="${id}" width="97" height="61" patternUnits="userSpaceOnUse"><circle cx="11" cy="9" r="1.1" fill="#fff"/><circle cx="53" cy="27" r=".8" fill="#fff"/><circle cx="80" cy="6" r="1.3" fill="#fff"/><circle cx="31" cy="44" r=".7" fill="#fff"/><circle cx="71" cy="51" r="1" fill="#fff"/></pattern>`)
    let out = pen.rect(-2, -2, w + 4, h + 4, mix('#0b1026', s.pen.p.roles.sky, 0.2), 'stroke="none"') + `<rect width="${w}" height="${h}" fill="${stars}" stroke="none"/>`
    out += pen.circle(w * 0.72, h * 0.38, h * 0.22, '#c9833f') + pen.shade(`M${n(w * 0.72)} ${n(h * 0.16)}A${n(h * 0.22)} ${n(h * 0.22)} 0 0 1 ${n(w * 0.72)} ${n(h * 0.6)}A${n(h * 0.3)} ${n(h * 0.3)} 0 0 0 ${n(w * 0.72)} ${n(h * 0.16)}Z`)
    out += `<ellipse cx="${n(w * 0.72)}" cy="${n(h * 0.38)}" rx="${n(h * 0.38)}" ry="${n(h * 0.07)}" fill="none" stroke="${pen.p.tone('#e8d3a0')}" stroke-width="${w2(h * 0.02)}" transform="rotate(-15 ${n(w * 0.72)} ${n(h * 0.38)})"/>`
    return out + pen.circle(w * 0.2, h * 0.2, h * 0.05, '#9d9c97')
  },
  spaceship: (s) => {
    const { w, h, hz, pen } = s
    let out = interior(s, '#c8ccd2', '#70757e', null)
    const space = DRAW.space({ ...s, w: w * 0.6, h: hz * 0.5 })
    out += `<g transform="translate(${n(w * 0.2)} ${n(hz * 0.12)})">${space}</g>`
    out += `<rect x="${n(w * 0.2)}" y="${n(hz * 0.12)}" width="${n(w * 0.6)}" height="${n(hz * 0.5)}" rx="${n(h * 0.06)}" fill="none" stroke="${pen.p.tone('#5a6068')}" stroke-width="${w2(h * 0.03)}"/>`
    out += pen.rect(-2, hz - h * 0.08, w + 4, h * 0.08, '#5a6068')
    for (let i = 0; i < 6; i++) out += pen.circle(w * (0.1 + i * 0.16), hz - h * 0.045, h * 0.012, ['#8cc43f', '#c8322f', '#e8c33a'][i % 3], 'stroke="none"')
    return out
  },
  surface: (s) => {
    const { w, h, hz, pen } = s
    const dusty = gradientFill(s, 'dust', '#3a2440', '#e8a987')
    let out = `<rect width="${w}" height="${n(hz + 2)}" fill="${dusty || pen.p.fill('#b8786a')}" stroke="none"/>` + pen.circle(w * 0.8, hz * 0.3, h * 0.04, '#f4e6d0', 'stroke="none"')
    out += pen.path(`M-2 ${n(hz)}Q${n(w * 0.3)} ${n(hz - h * 0.05)} ${n(w * 0.6)} ${n(hz + h * 0.01)}T${w + 2} ${n(hz - h * 0.02)}V${n(h + 2)}H-2Z`, '#b5553a')
    for (const [x, y, r] of [[0.2, 0.8, 0.08], [0.65, 0.72, 0.05], [0.85, 0.9, 0.1]] as const) out += pen.ellipse(w * x, h * y, w * r, h * r * 0.35, '#8a3f2a')
    if (/dome|base/.test(s.info.text)) out += pen.path(`M${n(w * 0.05)} ${n(hz)}Q${n(w * 0.12)} ${n(hz - h * 0.14)} ${n(w * 0.19)} ${n(hz)}Z`, '#d0d4da')
    return out
  },
  field: (s) => sky(s) + heavens(s) + ground(s, GRASS) + firs(s, 3, s.hz + s.h * 0.02, s.h * 0.12, '#3f6a3a'),
}

export function drawBackdrop(s: Stage): string {
  return DRAW[s.info.kind](s)
}

// Weather in front of everything outdoors: rain streaks, snowflakes, bands of fog.
export function drawWeather(s: Stage): string {
  if (s.info.indoor) return ''
  const { w, h } = s
  let out = ''
  if (s.info.rain) out += `<rect width="${w}" height="${h}" fill="${rainFill(s)}" opacity=".75" stroke="none"/>`
  if (s.info.snow) out += `<rect width="${w}" height="${h}" fill="${snowFill(s)}" opacity=".9" stroke="none"/>`
  if (s.info.fog) {
    const fog = s.pen.p.tone('#e6e9ec')
    out += `<rect y="${n(h * 0.35)}" width="${w}" height="${n(h * 0.25)}" fill="${fog}" opacity=".35" stroke="none"/><rect y="${n(h * 0.62)}" width="${w}" height="${n(h * 0.2)}" fill="${fog}" opacity=".3" stroke="none"/>`
  }
  return out
}
