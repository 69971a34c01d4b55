import type { StyleId } from '../contract/index.ts'
import { getStyle } from './styles.ts'
import { StylePainter } from './treatment.ts'

const W = 160
const H = 100
const SKIN = '#e9b48f'
const HAIR = '#3b2a20'
const COAT = '#8a4b3a'

// A small card for the style picker: a tiny scene drawn with the style's line work, shading and palette chips.
export function styleSwatchSvg(id: StyleId): string {
  const style = getStyle(id)
  const p = new StylePainter(style.id, `sw-${style.id}-`, 0.5)
  const { ink, paper, sky, ground, accent } = p.roles
  const lw = Math.max(0.6, p.lineWidth()).toFixed(2)
  const line = (hex: string) => (p.t.line > 0 ? ` stroke="${p.stroke(hex)}" stroke-width="${lw}" stroke-linejoin="round"` : '')
  const shade = p.shadeAttrs()
  const chipW = (W - 8) / style.palette.length
  const chips = style.palette
    .map((c, i) => `<rect x="${(4 + i * chipW).toFixed(1)}" y="84" width="${(chipW - 2).toFixed(1)}" height="12" rx="2" fill="${c}" stroke="${ink}" stroke-width=".6"/>`)
    .join('')
  const body = [
    `<rect width="${W}" height="${H}" fill="${paper}"/>`,
    `<rect x="0" y="0" width="${W}" height="78" fill="${p.fill(sky)}"/>`,
    `<circle cx="36" cy="24" r="11" fill="${p.fill(accent)}"${line(accent)}/>`,
    `<path d="M0 58Q40 44 80 56T160 52V78H0Z" fill="${p.fill(ground)}"${line(ground)}/>`,
    shade ? `<path d="M0 68Q50 60 100 68T160 66V78H0Z" ${shade}/>` : '',
    `<path d="M92 78Q94 60 112 58Q130 60 132 78Z" fill="${p.fill(COAT)}"${line(COAT)}/>`,
    `<circle cx="112" cy="40" r="14" fill="${p.fill(SKIN)}"${line(SKIN)}/>`,
    shade ? `<path d="M112 26A14 14 0 0 1 112 54A20 20 0 0 0 112 26Z" ${shade}/>` : '',
    `<path d="M97 40Q96 24 112 24Q128 24 127 38Q118 30 104 34Q101 37 97 40Z" fill="${p.fill(HAIR)}"${line(HAIR)}/>`,
    `<circle cx="107" cy="42" r="1.6" fill="${ink}"/><circle cx="117" cy="42" r="1.6" fill="${ink}"/>`,
    `<path d="M108 48Q112 51 116 48" fill="none" stroke="${ink}" stroke-width="1" stroke-linecap="round"/>`,
    `<rect x="0" y="78" width="${W}" height="22" fill="${paper}"/>`,
    chips,
    p.texture(W, 78),
  ].join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}"><defs>${p.defs()}</defs>${body}</svg>`
}
