import type { Style } from '../../src/contract/index.ts'

// The swatches drawn for each style (scripts/build-swatches.ts), bundled with the page.
const SWATCHES: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../../resources/swatches/*.svg', { query: '?url', import: 'default', eager: true }))
    .map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1, -'.svg'.length), url]),
)

// A style's swatch picture; its palette as stripes if there is none.
export function StyleSwatch({ style, className = 'swatch' }: { style: Style; className?: string }) {
  const src = SWATCHES[style.id]
  if (src) return <img className={className} src={src} alt="" draggable={false} />
  return (
    <span className={className} aria-hidden="true">
      {style.palette.map((color, i) => (
        <span key={`${color}-${i}`} style={{ background: color }} />
      ))}
    </span>
  )
}
