import type { StylePainter } from '../styles/treatment.ts'

// Compact numbers: SVG size matters when a comic has hundreds of panels.
export function n(v: number): string {
  const r = Math.round(v * 10) / 10
  return Object.is(r, -0) ? '0' : String(r)
}

// Line widths need finer steps than coordinates: a 2 px ink line in a figure scaled ×20 is 0.1 units.
export function w2(v: number): string {
  return String(Math.round(v * 100) / 100)
}

export function pts(points: ReadonlyArray<readonly [number, number]>): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(x)} ${n(y)}`).join('')
}

// A pen draws shapes in one style: fills go through the style's colour system and every shape is inked.
export class Pen {
  readonly p: StylePainter

  constructor(painter: StylePainter) {
    this.p = painter
  }

  // A pen for a group scaled by `scale`; its lines and patterns keep their size on the page.
  at(scale: number, tag: string): Pen {
    return new Pen(this.p.scaled(scale, tag))
  }

  // Fill (and, in soft styles, an outline tinted from the fill) unless the caller sets its own.
  paint(hex: string, extra = ''): string {
    const soft = this.p.t.lineMode === 'soft' && !extra.includes('stroke=') ? ` stroke="${this.p.stroke(hex)}"` : ''
    return `fill="${this.p.fill(hex)}"${soft}${extra ? ' ' + extra : ''}`
  }

  // The stroke a group passes to its shapes.
  ink(weight = 1): string {
    if (this.p.t.line <= 0) return 'stroke="none"'
    return `stroke="${this.p.roles.ink}" stroke-width="${w2(this.p.lineWidth(weight))}" stroke-linejoin="round" stroke-linecap="round"`
  }

  path(d: string, hex: string, extra = ''): string {
    return `<path d="${d}" ${this.paint(hex, extra)}/>`
  }

  circle(cx: number, cy: number, r: number, hex: string, extra = ''): string {
    return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" ${this.paint(hex, extra)}/>`
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, hex: string, extra = ''): string {
    return `<ellipse cx="${n(cx)}" cy="${n(cy)}" rx="${n(rx)}" ry="${n(ry)}" ${this.paint(hex, extra)}/>`
  }

  rect(x: number, y: number, w: number, h: number, hex: string, extra = ''): string {
    return `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" ${this.paint(hex, extra)}/>`
  }

  // Unfilled ink line in this style's colour system (for whiskers, cracks, wires).
  line(d: string, hex: string, width: number, extra = ''): string {
    return `<path d="${d}" fill="none" stroke="${this.p.tone(hex)}" stroke-width="${w2(width)}" stroke-linecap="round"${extra ? ' ' + extra : ''}/>`
  }

  // A shadow laid over what was just drawn; nothing in styles without shading.
  shade(d: string): string {
    const a = this.p.shadeAttrs()
    return a ? `<path d="${d}" ${a} stroke="none"/>` : ''
  }

  // A limb: a thick round line with an inked rim drawn under it.
  limb(d: string, hex: string, width: number): string {
    const rim = this.p.t.line > 0 ? `<path d="${d}" fill="none" stroke="${this.p.roles.ink}" stroke-width="${w2(width + 2 * this.p.lineWidth())}" stroke-linecap="round" stroke-linejoin="round"/>` : ''
    const tone = this.p.fill(hex)
    return `${rim}<path d="${d}" fill="none" stroke="${tone}" stroke-width="${w2(width)}" stroke-linecap="round" stroke-linejoin="round"/>`
  }
}
