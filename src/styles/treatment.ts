import type { Style, StyleId } from '../contract/index.ts'
import { luminance, mix, saturate } from './colour.ts'
import { getStyle } from './styles.ts'

// How a style is drawn offline: colour handling, line work, shading and paper texture.
export interface Treatment {
  colour: 'full' | 'grey' | 'mono' | 'tint'
  saturation: number
  // Ink width in px on a 512 px panel; outlines in 'soft' line mode are a darker tone of the fill, not ink.
  line: number
  lineMode: 'ink' | 'soft'
  shade: 'soft' | 'flat' | 'halftone' | 'screentone' | 'hatch' | 'wash' | 'none'
  texture: 'none' | 'grain' | 'halftone' | 'screentone' | 'newsprint' | 'paper' | 'vignette'
  speedLines: boolean
}

const T = (t: Partial<Treatment> & Pick<Treatment, 'colour' | 'line' | 'shade' | 'texture'>): Treatment => ({
  saturation: 1, lineMode: 'ink', speedLines: false, ...t,
})

const TREATMENTS: Record<StyleId, Treatment> = {
  'cinematic-photo': T({ colour: 'full', saturation: 0.85, line: 0.8, lineMode: 'soft', shade: 'soft', texture: 'vignette' }),
  'painted-realism': T({ colour: 'full', saturation: 0.9, line: 1, lineMode: 'soft', shade: 'soft', texture: 'paper' }),
  'soft-watercolor': T({ colour: 'full', saturation: 0.7, line: 0.8, lineMode: 'soft', shade: 'wash', texture: 'paper' }),
  'retro-film': T({ colour: 'full', saturation: 0.75, line: 0.8, lineMode: 'soft', shade: 'soft', texture: 'grain' }),
  'concept-art': T({ colour: 'full', saturation: 0.8, line: 0.6, lineMode: 'soft', shade: 'soft', texture: 'vignette' }),
  'modern-superhero': T({ colour: 'full', saturation: 1.2, line: 3, shade: 'flat', texture: 'halftone' }),
  'golden-age': T({ colour: 'full', saturation: 1.05, line: 3.2, shade: 'halftone', texture: 'newsprint' }),
  'ligne-claire': T({ colour: 'full', saturation: 1.05, line: 1.8, shade: 'none', texture: 'none' }),
  'indie-ink': T({ colour: 'full', saturation: 0.6, line: 2.6, shade: 'flat', texture: 'grain' }),
  'pop-art': T({ colour: 'full', saturation: 1.5, line: 4, shade: 'halftone', texture: 'halftone' }),
  shonen: T({ colour: 'grey', line: 2.2, shade: 'screentone', texture: 'none', speedLines: true }),
  shojo: T({ colour: 'grey', line: 1.2, shade: 'screentone', texture: 'screentone' }),
  seinen: T({ colour: 'grey', line: 1.8, shade: 'hatch', texture: 'grain', speedLines: true }),
  chibi: T({ colour: 'full', saturation: 0.75, line: 3, shade: 'flat', texture: 'none' }),
  webtoon: T({ colour: 'full', saturation: 1, line: 1.1, shade: 'soft', texture: 'none' }),
  'classic-noir': T({ colour: 'mono', line: 2.4, shade: 'hatch', texture: 'vignette' }),
  'ink-wash': T({ colour: 'tint', line: 1.6, shade: 'wash', texture: 'paper' }),
  'pulp-crime': T({ colour: 'full', saturation: 1.1, line: 3, shade: 'halftone', texture: 'newsprint' }),
  'gothic-horror': T({ colour: 'full', saturation: 0.35, line: 2, shade: 'hatch', texture: 'vignette' }),
  'sepia-graphic-novel': T({ colour: 'tint', line: 1.6, shade: 'hatch', texture: 'paper' }),
}


// The palette's roles, by position: ink, paper, sky, ground, accent, extra.
export interface PaletteRoles {
  ink: string
  paper: string
  sky: string
  ground: string
  accent: string
  extra: string
}

export function paletteRoles(style: Style): PaletteRoles {
  const p = style.palette
  return { ink: p[0], paper: p[1], sky: p[2], ground: p[3], accent: p[4] ?? p[2], extra: p[5] ?? p[3] }
}

// Pattern ids inside one SVG; the prefix keeps several images inlined in one page from clashing.
export interface PatternIds {
  hatch: string
  midHatch: string
  dots: string
  tone: string
  grain: string
  vignette: string
}

export function patternIds(prefix: string): PatternIds {
  return { hatch: `${prefix}h`, midHatch: `${prefix}m`, dots: `${prefix}d`, tone: `${prefix}t`, grain: `${prefix}g`, vignette: `${prefix}v` }
}

// A style's painter: maps any colour into the style and names the fills for shadows and textures.
// Patterns live in user space, so a figure drawn inside a scaled group gets its own scaled copy
// (scaled()) to keep hatching and dots the same size on the page.
export class StylePainter {
  readonly style: Style
  readonly t: Treatment
  readonly roles: PaletteRoles
  readonly ids: PatternIds
  // Design units per local unit: lines and patterns stay in proportion on big and small panels.
  readonly unit: number
  private readonly used = new Set<keyof PatternIds>()
  private readonly tones = new Map<string, string>()

  constructor(styleId: StyleId, prefix: string, unit: number) {
    this.style = getStyle(styleId)
    this.t = TREATMENTS[styleId]
    this.roles = paletteRoles(this.style)
    this.ids = patternIds(prefix)
    this.unit = unit
  }

  scaled(scale: number, tag: string): StylePainter {
    return new StylePainter(this.style.id, `${this.ids.hatch.slice(0, -1)}${tag}`, this.unit / scale)
  }

  private ref(key: keyof PatternIds): string {
    this.used.add(key)
    return `url(#${this.ids[key]})`
  }

  // A solid colour in the style's colour system.
  tone(hex: string): string {
    const cached = this.tones.get(hex)
    if (cached) return cached
    const { ink, paper, sky } = this.roles
    const l = luminance(hex)
    let out: string
    switch (this.t.colour) {
      case 'full': out = mix(saturate(hex, this.t.saturation), sky, 0.1); break
      case 'grey': out = mix(ink, paper, Math.min(1, Math.round(l * 4) / 4 + 0.06)); break
      case 'tint': out = l < 0.5 ? mix(ink, sky, l * 2) : mix(sky, paper, (l - 0.5) * 2); break
      case 'mono': out = l > 0.58 ? paper : l < 0.3 ? ink : mix(ink, paper, 0.45); break
    }
    this.tones.set(hex, out)
    return out
  }

  // What to fill a shape of this colour with: noir draws middle tones as hatching on paper.
  fill(hex: string): string {
    if (this.t.colour === 'mono') {
      const l = luminance(hex)
      if (l >= 0.3 && l <= 0.58) return this.ref('midHatch')
    }
    return this.tone(hex)
  }

  // The outline for a shape of this colour.
  stroke(hex: string): string {
    return this.t.lineMode === 'soft' ? mix(this.tone(hex), this.roles.ink, 0.55) : this.roles.ink
  }

  lineWidth(scale = 1): number {
    return this.t.line * this.unit * scale
  }

  // Attributes for a shadow shape laid over a lit shape, or '' when the style has no shading.
  shadeAttrs(): string {
    const { ink } = this.roles
    switch (this.t.shade) {
      case 'none': return ''
      case 'soft': return `fill="${ink}" opacity=".22"`
      case 'flat': return `fill="${ink}" opacity=".2"`
      case 'wash': return `fill="${ink}" opacity=".16"`
      case 'halftone': return `fill="${this.ref('dots')}"`
      case 'screentone': return `fill="${this.ref('tone')}"`
      case 'hatch': return `fill="${this.ref('hatch')}"`
    }
  }

  // Definitions for the patterns this painter has handed out so far.
  defs(): string {
    const u = this.unit
    const { ink, paper } = this.roles
    const r = (v: number) => +(v * u).toFixed(2)
    const make: Record<keyof PatternIds, () => string> = {
      hatch: () => `<pattern id="${this.ids.hatch}" width="${r(5)}" height="${r(5)}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="${r(1.6)}" height="${r(5)}" fill="${ink}"/></pattern>`,
      midHatch: () => `<pattern id="${this.ids.midHatch}" width="${r(4)}" height="${r(4)}" patternUnits="userSpaceOnUse" patternTransform="rotate(-40)"><rect width="${r(4)}" height="${r(4)}" fill="${paper}"/><rect width="${r(1.5)}" height="${r(4)}" fill="${ink}"/></pattern>`,
      dots: () => `<pattern id="${this.ids.dots}" width="${r(6)}" height="${r(6)}" patternUnits="userSpaceOnUse" patternTransform="rotate(20)"><circle cx="${r(3)}" cy="${r(3)}" r="${r(1.7)}" fill="${ink}" fill-opacity=".55"/></pattern>`,
      tone: () => `<pattern id="${this.ids.tone}" width="${r(4)}" height="${r(4)}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><circle cx="${r(2)}" cy="${r(2)}" r="${r(0.9)}" fill="${ink}"/></pattern>`,
      grain: () => `<pattern id="${this.ids.grain}" width="${r(9)}" height="${r(9)}" patternUnits="userSpaceOnUse"><circle cx="${r(1)}" cy="${r(2)}" r="${r(0.5)}" fill="${ink}"/><circle cx="${r(6)}" cy="${r(1)}" r="${r(0.4)}" fill="${paper}"/><circle cx="${r(4)}" cy="${r(6)}" r="${r(0.45)}" fill="${ink}"/><circle cx="${r(8)}" cy="${r(7)}" r="${r(0.35)}" fill="${paper}"/><circle cx="${r(2)}" cy="${r(8)}" r="${r(0.3)}" fill="${ink}"/></pattern>`,
      vignette: () => `<radialGradient id="${this.ids.vignette}" cx="50%" cy="50%" r="75%"><stop offset=".55" stop-color="${ink}" stop-opacity="0"/><stop offset="1" stop-color="${ink}" stop-opacity=".75"/></radialGradient>`,
    }
    return [...this.used].map((k) => make[k]()).join('')
  }

  // The style's surface over the whole picture: print dots, film grain, paper, vignette.
  texture(width: number, height: number): string {
    const full = `width="${width}" height="${height}"`
    switch (this.t.texture) {
      case 'none': return ''
      case 'grain': return `<rect ${full} fill="${this.ref('grain')}" opacity=".35"/>`
      case 'halftone': return `<rect ${full} fill="${this.ref('dots')}" opacity=".12"/>`
      case 'screentone': return `<rect ${full} fill="${this.ref('tone')}" opacity=".06"/>`
      case 'newsprint': return `<rect ${full} fill="#e8d9a8" opacity=".16"/><rect ${full} fill="${this.ref('dots')}" opacity=".12"/>`
      case 'paper': return `<rect ${full} fill="${this.roles.paper}" opacity=".12"/><rect ${full} fill="${this.ref('grain')}" opacity=".18"/>`
      case 'vignette': return `<rect ${full} fill="${this.ref('vignette')}" opacity=".6"/>`
    }
  }
}
