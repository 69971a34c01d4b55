import { n, w2, type Pen } from './sketch-svg.ts'

// A close-up of a thing rather than a person ("Extreme close-up of a clue: a black feather"),
// centred at (cx, cy) with size s, under a magnifying glass when it is a clue.
export function drawProp(text: string, pen: Pen, cx: number, cy: number, s: number): string {
  const t = text.toLowerCase()
  const ink = pen.p.roles.ink
  let thing: string
  if (/feather/.test(t)) {
    const c = /black/.test(t) ? '#222226' : '#f4f1ea'
    thing = pen.path(`M${n(cx - s * 0.5)} ${n(cy + s * 0.45)}Q${n(cx - s * 0.1)} ${n(cy - s * 0.1)} ${n(cx + s * 0.45)} ${n(cy - s * 0.5)}Q${n(cx + s * 0.35)} ${n(cy + s * 0.05)} ${n(cx - s * 0.35)} ${n(cy + s * 0.38)}Z`, c)
      + `<path d="M${n(cx - s * 0.6)} ${n(cy + s * 0.55)}L${n(cx + s * 0.4)} ${n(cy - s * 0.45)}" stroke="${pen.p.tone('#9a9a9a')}" stroke-width="${w2(s * 0.02)}"/>`
  } else if (/footprint|paw|track/.test(t)) {
    thing = pen.ellipse(cx, cy + s * 0.1, s * 0.22, s * 0.18, '#5d3a22', 'stroke="none"')
      + [[-0.22, -0.18], [-0.08, -0.3], [0.08, -0.3], [0.22, -0.18]].map(([x, y]) => pen.ellipse(cx + x * s, cy + y * s, s * 0.07, s * 0.09, '#5d3a22', 'stroke="none"')).join('')
  } else if (/button/.test(t)) {
    thing = pen.circle(cx, cy, s * 0.3, '#b87333') + [[-1, -1], [1, -1], [-1, 1], [1, 1]].map(([x, y]) => `<circle cx="${n(cx + x * s * 0.08)}" cy="${n(cy + y * s * 0.08)}" r="${n(s * 0.035)}" fill="${ink}"/>`).join('')
  } else if (/gear|cog/.test(t)) {
    thing = `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(s * 0.32)}" fill="none" stroke="${pen.p.tone('#8a8f96')}" stroke-width="${w2(s * 0.1)}" stroke-dasharray="${w2(s * 0.1)} ${w2(s * 0.08)}"/>` + pen.circle(cx, cy, s * 0.27, '#8a8f96') + pen.circle(cx, cy, s * 0.08, '#3a3a3a')
  } else if (/scale/.test(t)) {
    thing = pen.path(`M${n(cx)} ${n(cy - s * 0.35)}Q${n(cx + s * 0.35)} ${n(cy + s * 0.1)} ${n(cx)} ${n(cy + s * 0.35)}Q${n(cx - s * 0.35)} ${n(cy + s * 0.1)} ${n(cx)} ${n(cy - s * 0.35)}Z`, '#2e9a5e') + `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(s * 0.5)}" fill="${pen.p.tone('#9ed9b8')}" opacity=".3"/>`
  } else if (/thread|string|hair/.test(t)) {
    thing = `<path d="M${n(cx - s * 0.5)} ${n(cy)}q${n(s * 0.25)} ${n(-s * 0.4)} ${n(s * 0.5)} 0t${n(s * 0.5)} 0" fill="none" stroke="${pen.p.tone('#c3c7cc')}" stroke-width="${w2(s * 0.03)}"/>`
  } else {
    // Paper of some kind: a ticket, a note, a scrap of a map, a letter.
    const map = /map/.test(t)
    thing = pen.path(`M${n(cx - s * 0.42)} ${n(cy - s * 0.28)}L${n(cx + s * 0.4)} ${n(cy - s * 0.32)}L${n(cx + s * 0.44)} ${n(cy + s * 0.22)}L${n(cx + s * 0.1)} ${n(cy + s * 0.3)}L${n(cx - s * 0.4)} ${n(cy + s * 0.26)}Z`, map ? '#e8d8a8' : '#f4f1ea')
      + `<path d="M${n(cx - s * 0.3)} ${n(cy - s * 0.12)}h${n(s * 0.55)}M${n(cx - s * 0.3)} ${n(cy)}h${n(s * 0.5)}M${n(cx - s * 0.3)} ${n(cy + s * 0.12)}h${n(s * 0.35)}" stroke="${map ? pen.p.tone('#c8322f') : ink}" stroke-width="${w2(s * 0.015)}" ${map ? `stroke-dasharray="${w2(s * 0.04)} ${w2(s * 0.03)}"` : ''}/>`
  }
  const lens = `<circle cx="${n(cx + s * 0.05)}" cy="${n(cy - s * 0.02)}" r="${n(s * 0.62)}" fill="${pen.p.tone('#e8f2f8')}" opacity=".18" stroke="${ink}" stroke-width="${w2(s * 0.05)}"/><path d="M${n(cx + s * 0.48)} ${n(cy + s * 0.42)}L${n(cx + s * 0.9)} ${n(cy + s * 0.85)}" stroke="${pen.p.tone('#5d3a22')}" stroke-width="${w2(s * 0.12)}" stroke-linecap="round"/>`
  return thing + (/clue/.test(t) ? lens : '')
}
