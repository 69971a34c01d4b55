import { useMemo } from 'react'
import type { Style } from '../../src/contract/index.ts'

type StyleWithSwatch = Style & { swatch?: string }

// The engine's own swatch SVG when it sends one; until then the style's palette as stripes.
export function StyleSwatch({ style, className = 'swatch' }: { style: StyleWithSwatch; className?: string }) {
  const src = useMemo(
    () => (style.swatch ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(style.swatch)}` : null),
    [style.swatch],
  )
  if (src) return <img className={className} src={src} alt="" draggable={false} />
  return (
    <span className={className} aria-hidden="true">
      {style.palette.map((color, i) => (
        <span key={`${color}-${i}`} style={{ background: color }} />
      ))}
    </span>
  )
}

export function paletteGradient(style: Style | undefined): string {
  if (!style) return 'linear-gradient(135deg, #2a2433, #1b1722)'
  const [a, b, c] = style.palette
  return `linear-gradient(150deg, ${a} 0%, ${b} 55%, ${c ?? b} 100%)`
}
